import type { Logger } from 'pino';
import type { ScannerInstance } from '../config/schema.ts';
import type { Finding, Phase, ScanContext, ScanResult, ScanSegment, Scanner, ScannerDefinition, ScannerDeps } from './types.ts';
import { Cancellation, type CancelSignal } from '../runtime/cancel-signal.ts';

/** A configured scanner: policy settings plus the live scanner built from them. */
export interface ScannerSlot {
  settings: ScannerInstance;
  definition: ScannerDefinition;
  scanner: Scanner;
}

/** What one instance did in one phase; errors and timeouts are values, not throws. */
export interface InstanceRun {
  slot: ScannerSlot;
  status: 'ok' | 'error' | 'timeout';
  result: ScanResult | null;
  /** Segments this instance saw (after origin filtering). */
  segmentIds: string[];
  latencyMs: number;
  error?: string;
}

export interface BuildProblem {
  path: string;
  message: string;
}

/** Builds scanner slots from the policy; collects every problem instead of stopping at the first. */
export function buildScannerSlots(
  instances: readonly ScannerInstance[],
  registry: ReadonlyMap<string, ScannerDefinition>,
  deps: ScannerDeps,
): { slots: ScannerSlot[]; problems: BuildProblem[] } {
  const slots: ScannerSlot[] = [];
  const problems: BuildProblem[] = [];
  const seen = new Set<string>();
  instances.forEach((settings, index) => {
    const base = `policy.scanners[${index}]`;
    if (seen.has(settings.id)) problems.push({ path: `${base}.id`, message: `duplicate instance id "${settings.id}"; every instance needs its own id` });
    seen.add(settings.id);
    const definition = registry.get(settings.scanner);
    if (!definition) {
      problems.push({ path: `${base}.scanner`, message: `unknown scanner "${settings.scanner}"; expected one of: ${[...registry.keys()].join(', ')}` });
      return;
    }
    const badPhase = settings.phases.find((phase) => !definition.phases.includes(phase));
    if (badPhase) problems.push({ path: `${base}.phases`, message: `scanner ${definition.id} does not support phase "${badPhase}"; it supports ${definition.phases.join(', ')}` });
    const parsed = definition.configSchema.safeParse(settings.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ path: [base, 'config', ...issue.path.map(String)].join('.'), message: issue.message });
      return;
    }
    if (!settings.enabled) return;
    try {
      // Each instance logs under its own id (judge failures, fail-open notes name the instance).
      slots.push({ settings, definition, scanner: definition.create(parsed.data, { ...deps, logger: deps.logger.child({ instance: settings.id }) }) });
    } catch (error) {
      problems.push({ path: `${base}.config`, message: error instanceof Error ? error.message : String(error) });
    }
  });
  return { slots, problems };
}

/** Runs every slot that applies to the phase; all scanners only read, so they run concurrently. */
export class ScannerRunner {
  readonly #slots: readonly ScannerSlot[];
  readonly #logger: Logger;
  readonly #byPhase = new Map<Phase, ScannerSlot[]>();

  constructor(slots: readonly ScannerSlot[], logger: Logger) {
    this.#slots = slots;
    this.#logger = logger;
    for (const phase of ['request', 'response', 'response-stream'] as const) {
      this.#byPhase.set(phase, slots.filter((slot) => slot.settings.phases.includes(phase)));
    }
  }

  /** True when some instance scans this phase. */
  has(phase: Phase): boolean {
    return (this.#byPhase.get(phase)?.length ?? 0) > 0;
  }

  get slots(): readonly ScannerSlot[] {
    return this.#slots;
  }

  /**
   * Runs the phase. All instances share one context: its signal fires when the request is abandoned,
   * and once the phase is over for scanners that missed their deadline (so abandoned work stops).
   */
  async run(phase: Phase, segments: readonly ScanSegment[], base: { requestId: string; state: Map<string, unknown>; signal?: CancelSignal }): Promise<InstanceRun[]> {
    const slots = this.#byPhase.get(phase) ?? [];
    if (slots.length === 0) return [];
    // The phase's own signal follows the request's; a Cancellation, not an AbortController (src/runtime/cancel-signal.ts).
    const cancellation = new Cancellation().follow(base.signal);
    const context: ScanContext = { requestId: base.requestId, signal: cancellation, state: base.state };
    try {
      const runs = await Promise.all(slots.map((slot) => this.#runOne(slot, phase, segments, context)));
      if (runs.some((run) => run.status === 'timeout')) cancellation.abort(new Error('scanner deadline exceeded'));
      return runs;
    } finally {
      cancellation.unfollow();
    }
  }

  async #runOne(slot: ScannerSlot, phase: Phase, all: readonly ScanSegment[], context: ScanContext): Promise<InstanceRun> {
    const origins = slot.settings.origins;
    const segments = origins ? all.filter((segment) => origins.includes(segment.origin)) : all;
    const segmentIds = segments.map((segment) => segment.id);
    if (segments.length === 0) return { slot, status: 'ok', result: { outcome: 'pass', score: null, findings: [] }, segmentIds, latencyMs: 0 };
    const started = performance.now();
    const timeoutMs = slot.settings.timeoutMs;
    try {
      const pending = slot.scanner.scan({ phase, segments }, context);
      let result: ScanResult;
      if (pending instanceof Promise) {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const settled = await Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
        if (settled === 'timeout') return this.#failed(slot, 'timeout', segmentIds, started, `no result within ${timeoutMs} ms`);
        result = settled;
      } else {
        result = pending;
      }
      const latencyMs = performance.now() - started;
      if (latencyMs > timeoutMs) return this.#failed(slot, 'timeout', segmentIds, started, `took ${latencyMs.toFixed(1)} ms, deadline ${timeoutMs} ms`);
      return { slot, status: 'ok', result: sanitise(result, segments), segmentIds, latencyMs };
    } catch (error) {
      return this.#failed(slot, 'error', segmentIds, started, error instanceof Error ? error.message : String(error));
    }
  }

  #failed(slot: ScannerSlot, status: 'error' | 'timeout', segmentIds: string[], started: number, message: string): InstanceRun {
    this.#logger.warn({ instance: slot.settings.id, scanner: slot.definition.id, status, reason: message, onError: slot.settings.onError }, 'scanner did not produce a result');
    return { slot, status, result: null, segmentIds, latencyMs: performance.now() - started, error: message };
  }
}

/** Guards the contract: a scanner bug must not push spans or scores out of range downstream. */
function sanitise(result: ScanResult, segments: readonly ScanSegment[]): ScanResult {
  const lengths = new Map(segments.map((segment) => [segment.id, segment.text.length]));
  const inRange = (segmentId: string, start: number, end: number): boolean => {
    const length = lengths.get(segmentId);
    return length !== undefined && start >= 0 && start <= end && end <= length;
  };
  const findings: Finding[] = result.findings.filter((finding) => inRange(finding.segmentId, finding.span[0], finding.span[1]));
  for (const finding of findings) finding.score = Math.min(1, Math.max(0, Number.isFinite(finding.score) ? finding.score : 1));
  const edits = result.edits?.filter((edit) => inRange(edit.segmentId, edit.start, edit.end));
  const sanitised: ScanResult = edits ? { ...result, findings, edits } : { ...result, findings };
  // A tail that is not a sane count means "unknown": the whole hold-back window applies.
  if (result.tail !== undefined && !(Number.isInteger(result.tail) && result.tail >= 0)) delete sanitised.tail;
  return sanitised;
}
