import type { InstanceRun } from '../scanners/runner.ts';
import type { Phase, ScanSegment } from '../scanners/types.ts';
import type { Verdict } from '../policy/decide.ts';
import type { FindingRecord, GatewayEvent, ScannerRecord } from '../store/types.ts';
import type { ContentMode } from '../config/schema.ts';
import { CONTENT_MASK, MAX_STORED_CHARS, segmentPrefix, TRUNCATION_MARK } from '../store/stored-content.ts';
import { randomHexId } from './random-id.ts';

type StoredSegment = Pick<ScanSegment, 'id' | 'origin' | 'text'>;

/** Collects what happens to one request and turns it into a stored event. */
export class EventDraft {
  readonly id = `evt_${randomHexId()}`;
  readonly #started = performance.now();
  readonly #time = new Date().toISOString();
  readonly #findings: FindingRecord[] = [];
  readonly #scanners: ScannerRecord[] = [];
  /** What each phase scanned, rendered at finish() per the content mode then in force (the tenant is known only after admission). */
  readonly #content: { request?: StoredPhase; response?: StoredPhase } = {};
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
    /** The content mode (storage.content); admission sets the caller's tenant's (storage.tenants). */
    public contentMode: ContentMode,
  ) {}

  /** Records one phase's scanner runs, verdict and (per the content mode) the scanned text. */
  addPhase(phase: Phase, runs: readonly InstanceRun[], verdict: Verdict, segments: readonly ScanSegment[]): void {
    // Optional fields are set only when present (a spread of `{}` would allocate an object per record).
    for (const run of runs) {
      const record: ScannerRecord = {
        instance: run.slot.settings.id,
        scanner: run.slot.definition.id,
        phase,
        outcome: run.status === 'ok' ? (run.result?.outcome ?? 'pass') : run.status,
        score: run.result?.score ?? null,
        latencyMs: Math.round(run.latencyMs * 1000) / 1000,
      };
      if (run.result?.rulesVersion !== undefined) record.rulesVersion = run.result.rulesVersion;
      this.#scanners.push(record);
    }
    for (const finding of verdict.findings) {
      const record: FindingRecord = {
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
      };
      if (finding.evidence !== undefined) record.evidence = finding.evidence;
      if (finding.clause !== undefined) record.clause = finding.clause;
      if (finding.matchFingerprint !== undefined) record.matchFingerprint = finding.matchFingerprint;
      if (finding.allowListed) record.allowListed = true;
      this.#findings.push(record);
    }
    if (phase === 'response-stream') return;
    const key = phase === 'request' ? 'request' : 'response';
    this.#content[key] = { segments, verdict };
  }

  /** Stores streamed response text once the stream is over. */
  setStreamedContent(segments: readonly StoredSegment[], verdict: Verdict): void {
    this.#content.response = { segments, verdict };
  }

  /** A finding that no scanner made (budget and abuse alerts). */
  addFinding(finding: FindingRecord): void {
    this.#findings.push(finding);
  }

  #renderContent(): GatewayEvent['content'] {
    if (this.contentMode === 'none') return null;
    const mask = this.contentMode !== 'full';
    const content: { request?: string; response?: string } = {};
    if (this.#content.request) content.request = renderContent(this.#content.request.segments, this.#content.request.verdict, mask);
    if (this.#content.response) content.response = renderContent(this.#content.response.segments, this.#content.response.verdict, mask);
    return content;
  }

  finish(decision: GatewayEvent['decision'], status: number): GatewayEvent {
    this.decision = decision;
    const event: GatewayEvent = {
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
      content: this.#renderContent(),
      contentMode: this.contentMode,
    };
    if (this.error !== undefined) event.error = this.error;
    if (this.tenant !== undefined) event.tenant = this.tenant;
    if (this.project !== undefined) event.project = this.project;
    if (this.keyId !== undefined) event.keyId = this.keyId;
    return event;
  }
}

interface StoredPhase {
  segments: readonly StoredSegment[];
  verdict: Verdict;
}

/**
 * `redacted` masks every span a scanner found (whatever the action), so stored content never
 * keeps what was detected; `full` keeps the original text, which the store seals (AES-256-GCM,
 * per-tenant data key) before it is written or spooled.
 */
function renderContent(segments: readonly StoredSegment[], verdict: Verdict, mask: boolean): string {
  let joined = '';
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const text = mask && verdict.findings.length > 0 ? masked(segment, verdict) : segment.text;
    joined = index === 0 ? `${segmentPrefix(segment.origin)}${text}` : `${joined}\n${segmentPrefix(segment.origin)}${text}`;
  }
  return joined.length > MAX_STORED_CHARS ? `${joined.slice(0, MAX_STORED_CHARS)}${TRUNCATION_MARK}` : joined;
}

/** A segment's text with every span found in it replaced by CONTENT_MASK. */
function masked(segment: StoredSegment, verdict: Verdict): string {
  const spans = verdict.findings.filter((finding) => finding.segmentId === segment.id).map((finding) => finding.span).sort((a, b) => b[0] - a[0]);
  let text = segment.text;
  let floor = Number.POSITIVE_INFINITY;
  for (const [start, end] of spans) {
    const stop = Math.min(end, floor);
    if (stop <= start) continue;
    text = `${text.slice(0, start)}${CONTENT_MASK}${text.slice(stop)}`;
    floor = start;
  }
  return text;
}
