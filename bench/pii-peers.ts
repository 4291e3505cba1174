/**
 * Span recovery for the PII benchmark's peers: each adapter turns a peer's output into spans
 * of the original text, from its detection API where it has one, else by aligning the
 * original with its redacted text.
 */
export interface PeerSpan {
  start: number;
  end: number;
  type: string;
}

export interface Peer {
  name: string;
  detect(text: string): Promise<PeerSpan[]>;
}

const ANCHOR = 6;

/**
 * The spans of `original` that `redacted` replaced: walk both while they agree; at a difference,
 * find the shortest replacement after which the texts agree again for ANCHOR characters.
 */
export function spansFromRedaction(original: string, redacted: string): PeerSpan[] {
  const spans: PeerSpan[] = [];
  let i = 0;
  let j = 0;
  while (i < original.length && j < redacted.length) {
    if (original[i] === redacted[j]) {
      i++;
      j++;
      continue;
    }
    let resumeI = original.length;
    let resumeJ = redacted.length;
    for (let k = j + 1; k <= Math.min(redacted.length, j + 80); k++) {
      if (k === redacted.length) break;
      const anchor = redacted.slice(k, k + ANCHOR);
      const at = original.indexOf(anchor, i + 1);
      if (at !== -1 && (anchor.length === ANCHOR || at + anchor.length === original.length)) {
        resumeI = at;
        resumeJ = k;
        break;
      }
    }
    spans.push({ start: i, end: resumeI, type: 'REDACTED' });
    i = resumeI;
    j = resumeJ;
  }
  if (i < original.length && j >= redacted.length) spans.push({ start: i, end: original.length, type: 'REDACTED' });
  return spans.filter((s) => s.end > s.start);
}

/** Loads the peers that are installed; a peer that fails to load is reported with its reason. */
export async function loadPeers(): Promise<{ peers: Peer[]; failed: { name: string; reason: string }[] }> {
  const peers: Peer[] = [];
  const failed: { name: string; reason: string }[] = [];
  const attempt = async (name: string, load: () => Promise<Peer['detect']>): Promise<void> => {
    try {
      const detect = await load();
      await detect('warm-up john@example.com 212-555-0134');
      peers.push({ name, detect });
    } catch (error) {
      failed.push({ name, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  };
  await attempt('@openredaction/openredaction', async () => {
    const { OpenRedaction } = await import('@openredaction/openredaction');
    const shield = new OpenRedaction();
    return async (text) => {
      const result = await shield.detect(text);
      return result.detections.map((d: { type: string; position: [number, number] }) => ({ start: d.position[0], end: d.position[1], type: d.type }));
    };
  });
  await attempt('redact-pii (SyncRedactor)', async () => {
    const { SyncRedactor } = await import('redact-pii');
    const redactor = new SyncRedactor();
    return async (text) => spansFromRedaction(text, redactor.redact(text));
  });
  await attempt('@arcjet/redact', async () => {
    const { redact } = await import('@arcjet/redact');
    return async (text) => spansFromRedaction(text, (await redact(text))[0]);
  });
  await attempt('@presidio-dev/hai-guardrails (piiGuard)', async () => {
    const hai = await import('@presidio-dev/hai-guardrails');
    const guard = hai.piiGuard({ selection: hai.SelectionType.All });
    return async (text) => {
      const [result] = (await guard([{ role: 'user', content: text }])) as { modifiedMessage?: { content?: unknown } }[];
      const content = result?.modifiedMessage?.content;
      return typeof content === 'string' ? spansFromRedaction(text, content) : [];
    };
  });
  return { peers, failed };
}
