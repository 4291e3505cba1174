import { decide, type DecidedFinding, type Verdict } from '../../policy/decide.ts';
import type { InstanceRun } from '../../scanners/runner.ts';
import type { ScanSegment } from '../../scanners/types.ts';
import type { Gateway } from '../gateway.ts';
import { toScanSegments } from '../segments.ts';
import type { StreamEdit } from './rewriter.ts';

export type StreamScan = { decision: 'allow' | 'flag' | 'block' } | { decision: 'redact'; edits: StreamEdit[] };

/**
 * Scans a streamed answer as it grows. Text is released only once it lies more than `holdBack`
 * characters behind the newest text and has been scanned, so a match split across chunks is
 * seen whole before any of it leaves.
 */
export class StreamGuard {
  text = '';
  #scannedTo = 0;
  #released = 0;
  readonly #seen = new Set<string>();
  readonly findings: DecidedFinding[] = [];
  readonly #runs = new Map<string, InstanceRun>();
  readonly #failures: Verdict['failures'] = [];
  /** Overlap (characters of context before the unreleased text) given to each scan, and the hold of scanners that report no tail. */
  readonly holdBack: number;
  /** Characters currently held back: the largest tail any stream scanner reported on the last scan. */
  #hold: number;
  readonly #active: boolean;
  /** Scan windows run so far, and when the first started and the last ended (epoch ms), for the stream's trace spans. */
  readonly windows = { firstStart: 0, lastEnd: 0, windows: 0 };

  constructor(
    private readonly gateway: Gateway,
    private readonly requestId: string,
    private readonly state: Map<string, unknown>,
    /** Whether the relay rewrites the stream, so a redaction can be applied instead of blocking. */
    private readonly canRedact = false,
  ) {
    this.#active = gateway.runner.has('response-stream');
    this.holdBack = this.#active ? gateway.config.server.streamHoldBackChars : 0;
    this.#hold = this.holdBack;
  }

  append(delta: string): void {
    this.text += delta;
  }

  /** How far (in characters of text) frames may be released now. */
  safeEnd(final: boolean): number {
    return final ? this.text.length : Math.max(0, this.text.length - this.#hold);
  }

  markReleased(upTo: number): void {
    this.#released = Math.max(this.#released, upTo);
  }

  /** Scans the unreleased text (plus overlap); 'block' stops the stream, 'redact' comes with edits in text coordinates. */
  async scan(): Promise<StreamScan> {
    if (!this.#active || this.text.length === this.#scannedTo) return { decision: 'allow' };
    const start = Math.max(0, this.#released - this.holdBack);
    const [segment] = toScanSegments([{ id: 'stream', role: 'assistant', origin: 'assistant', text: this.text.slice(start), path: [], turn: -1 }]) as [ScanSegment];
    const startedAt = performance.timeOrigin + performance.now();
    const runs = await this.gateway.runner.run('response-stream', [segment], { requestId: this.requestId, state: this.state });
    if (this.windows.windows++ === 0) this.windows.firstStart = startedAt;
    this.windows.lastEnd = performance.timeOrigin + performance.now();
    this.#scannedTo = this.text.length;
    // Release everything but what some scanner says could still grow into a finding.
    this.#hold = runs.reduce((hold, run) => Math.max(hold, run.status === 'ok' && run.result?.tail !== undefined ? run.result.tail : this.holdBack), 0);
    const verdict = decide(runs, [segment]);
    this.#accumulate(runs, verdict, start);
    if (verdict.decision === 'redact' && this.canRedact) {
      return { decision: 'redact', edits: verdict.edits.map((edit) => ({ start: edit.start + start, end: edit.end + start, replacement: edit.replacement })) };
    }
    if (verdict.decision === 'block' || verdict.decision === 'redact') return { decision: 'block' };
    return { decision: verdict.decision === 'flag' ? 'flag' : 'allow' };
  }

  /** The stream phase's runs and verdict, aggregated over all windows, for the event. */
  summary(): { runs: InstanceRun[]; verdict: Verdict } {
    let decision: Verdict['decision'] = 'allow';
    if (this.findings.some((finding) => finding.action === 'flag')) decision = 'flag';
    if (this.findings.some((finding) => finding.action === 'redact')) decision = this.canRedact ? 'redact' : 'block';
    if (this.findings.some((finding) => finding.action === 'block') || this.#failures.some((failure) => failure.consequence === 'block')) decision = 'block';
    return { runs: [...this.#runs.values()], verdict: { decision, findings: this.findings, edits: [], failures: this.#failures } };
  }

  #accumulate(runs: InstanceRun[], verdict: Verdict, offset: number): void {
    for (const run of runs) {
      const previous = this.#runs.get(run.slot.settings.id);
      const worse = !previous || run.status !== 'ok' || (previous.status === 'ok' && rank(run) > rank(previous));
      const merged = worse ? run : previous;
      this.#runs.set(run.slot.settings.id, { ...merged, latencyMs: (previous?.latencyMs ?? 0) + run.latencyMs });
    }
    this.#failures.push(...verdict.failures);
    for (const finding of verdict.findings) {
      const span: [number, number] = [finding.span[0] + offset, finding.span[1] + offset];
      const key = `${finding.instance}|${finding.ruleId}|${span[0]}|${span[1]}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      this.findings.push({ ...finding, span });
    }
  }
}

function rank(run: InstanceRun): number {
  return run.result?.outcome === 'fail' ? 2 : run.result?.outcome === 'flag' ? 1 : 0;
}
