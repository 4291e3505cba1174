import { randomUUID } from 'node:crypto';
import type { InstanceRun } from '../scanners/runner.ts';
import type { Phase, ScanSegment } from '../scanners/types.ts';
import type { Verdict } from '../policy/decide.ts';
import type { FindingRecord, GatewayEvent, ScannerRecord } from '../store/types.ts';

const maxStoredChars = 32_768;

type StoredSegment = Pick<ScanSegment, 'id' | 'origin' | 'text'>;

/** Collects what happens to one request and turns it into a stored event. */
export class EventDraft {
  readonly id = `evt_${randomUUID().replace(/-/g, '')}`;
  readonly #started = performance.now();
  readonly #time = new Date().toISOString();
  readonly #findings: FindingRecord[] = [];
  readonly #scanners: ScannerRecord[] = [];
  readonly #content: { request?: string; response?: string } = {};
  model: string | null = null;
  provider: string | null = null;
  inputTokens: number | null = null;
  outputTokens: number | null = null;
  upstreamLatencyMs: number | null = null;
  streamed = false;
  error: string | undefined;
  /** Who called, set by admission when the caller presented a key. */
  tenant: string | undefined;
  project: string | undefined;
  keyId: string | undefined;
  /** The decision `finish` recorded (null while the request runs), read after the response by limits and abuse detection. */
  decision: GatewayEvent['decision'] | null = null;

  constructor(
    readonly requestId: string,
    readonly route: string,
    /** The effective policy's name; set again once the caller's tenant policy is known. */
    public policy: string,
    readonly contentMode: 'none' | 'redacted',
  ) {}

  /** Records one phase's scanner runs, verdict and (per the content mode) the scanned text. */
  addPhase(phase: Phase, runs: readonly InstanceRun[], verdict: Verdict, segments: readonly ScanSegment[]): void {
    for (const run of runs) {
      this.#scanners.push({
        instance: run.slot.settings.id,
        scanner: run.slot.definition.id,
        phase,
        outcome: run.status === 'ok' ? (run.result?.outcome ?? 'pass') : run.status,
        score: run.result?.score ?? null,
        latencyMs: Math.round(run.latencyMs * 1000) / 1000,
      });
    }
    for (const finding of verdict.findings) {
      this.#findings.push({
        instance: finding.instance,
        scanner: finding.scanner,
        ruleId: finding.ruleId,
        severity: finding.severity,
        score: finding.score,
        segmentId: finding.segmentId,
        origin: finding.origin,
        span: finding.span,
        action: finding.action,
        message: finding.message,
        ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
        ...(finding.clause !== undefined ? { clause: finding.clause } : {}),
        ...(finding.matchFingerprint !== undefined ? { matchFingerprint: finding.matchFingerprint } : {}),
        ...(finding.allowListed ? { allowListed: true } : {}),
      });
    }
    if (this.contentMode === 'none' || phase === 'response-stream') return;
    const key = phase === 'request' ? 'request' : 'response';
    this.#content[key] = renderContent(segments, verdict);
  }

  /** Stores streamed response text once the stream is over. */
  setStreamedContent(segments: readonly StoredSegment[], verdict: Verdict): void {
    if (this.contentMode !== 'none') this.#content.response = renderContent(segments, verdict);
  }

  /** A finding that no scanner made (budget and abuse alerts). */
  addFinding(finding: FindingRecord): void {
    this.#findings.push(finding);
  }

  finish(decision: GatewayEvent['decision'], status: number): GatewayEvent {
    this.decision = decision;
    return {
      id: this.id,
      requestId: this.requestId,
      time: this.#time,
      route: this.route,
      model: this.model,
      provider: this.provider,
      policy: this.policy,
      decision,
      status,
      findings: this.#findings,
      scanners: this.#scanners,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      upstreamLatencyMs: this.upstreamLatencyMs,
      totalLatencyMs: Math.round((performance.now() - this.#started) * 1000) / 1000,
      streamed: this.streamed,
      content: this.contentMode === 'none' ? null : this.#content,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.tenant !== undefined ? { tenant: this.tenant } : {}),
      ...(this.project !== undefined ? { project: this.project } : {}),
      ...(this.keyId !== undefined ? { keyId: this.keyId } : {}),
    };
  }
}

/** Masks every span a scanner found (whatever the action), so stored content never keeps what was detected. */
function renderContent(segments: readonly StoredSegment[], verdict: Verdict): string {
  const parts: string[] = [];
  for (const segment of segments) {
    let text = segment.text;
    const spans = verdict.findings.filter((finding) => finding.segmentId === segment.id).map((finding) => finding.span).sort((a, b) => b[0] - a[0]);
    let floor = Number.POSITIVE_INFINITY;
    for (const [start, end] of spans) {
      const stop = Math.min(end, floor);
      if (stop <= start) continue;
      text = `${text.slice(0, start)}[REDACTED]${text.slice(stop)}`;
      floor = start;
    }
    parts.push(`${segment.origin}: ${text}`);
  }
  const joined = parts.join('\n');
  return joined.length > maxStoredChars ? `${joined.slice(0, maxStoredChars)}…[truncated]` : joined;
}
