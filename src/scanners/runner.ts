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
   * Synchronous scanners are run and sanitised in place; only asynchronous ones cost a promise each.
   */
  async run(phase: Phase, segments: readonly ScanSegment[], base: { requestId: string; state: Map<string, unknown>; signal?: CancelSignal }): Promise<InstanceRun[]> {
    const slots = this.#byPhase.get(phase) ?? [];
    if (slots.length === 0) return [];
    // The phase's own signal follows the request's; a Cancellation, not an AbortController (src/runtime/cancel-signal.ts).
    const cancellation = new Cancellation().follow(base.signal);
    const context: ScanContext = { requestId: base.requestId, signal: cancellation, state: base.state };
    try {
      // Ids of all segments, shared by the instances that scan every origin (no one writes to them).
      const allIds = segments.length === 0 ? noSegmentIds : segments.map((segment) => segment.id);
      const started: (InstanceRun | Promise<InstanceRun>)[] = [];
      let pending = false;
      for (const slot of slots) {
        const run = this.#runOne(slot, phase, segments, allIds, context);
        if (run instanceof Promise) pending = true;
        started.push(run);
      }
      const runs = pending ? await Promise.all(started) : (started as InstanceRun[]);
      for (const run of runs) {
        if (run.status === 'timeout') {
          cancellation.abort(new Error('scanner deadline exceeded'));
          break;
        }
      }
      return runs;
    } finally {
      cancellation.unfollow();
    }
  }

  /** One instance's run: synchronous when its scanner answers synchronously (or has nothing to scan). */
  #runOne(slot: ScannerSlot, phase: Phase, all: readonly ScanSegment[], allIds: string[], context: ScanContext): InstanceRun | Promise<InstanceRun> {
    const origins = slot.settings.origins;
    const segments = origins ? all.filter((segment) => origins.includes(segment.origin)) : all;
    if (segments.length === 0) return { slot, status: 'ok', result: nothingToScan, segmentIds: noSegmentIds, latencyMs: 0 };
    const segmentIds = segments === all ? allIds : segments.map((segment) => segment.id);
    const started = performance.now();
    let pending: ScanResult | Promise<ScanResult>;
    try {
      pending = slot.scanner.scan({ phase, segments }, context);
    } catch (error) {
      return this.#failed(slot, 'error', segmentIds, started, error instanceof Error ? error.message : String(error));
    }
    if (pending instanceof Promise) return this.#awaitResult(slot, pending, segments, segmentIds, started);
    return this.#settled(slot, pending, segments, segmentIds, started);
  }

  async #awaitResult(slot: ScannerSlot, pending: Promise<ScanResult>, segments: readonly ScanSegment[], segmentIds: string[], started: number): Promise<InstanceRun> {
    const timeoutMs = slot.settings.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let settled: ScanResult | 'timeout';
    try {
      settled = await Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
    } catch (error) {
      return this.#failed(slot, 'error', segmentIds, started, error instanceof Error ? error.message : String(error));
    }
    if (settled === 'timeout') return this.#failed(slot, 'timeout', segmentIds, started, `no result within ${timeoutMs} ms`);
    return this.#settled(slot, settled, segments, segmentIds, started);
  }

  /** A result that arrived: late ones count as timeouts; others are sanitised (a scanner bug there is its error). */
  #settled(slot: ScannerSlot, result: ScanResult, segments: readonly ScanSegment[], segmentIds: string[], started: number): InstanceRun {
    const timeoutMs = slot.settings.timeoutMs;
    const latencyMs = performance.now() - started;
    if (latencyMs > timeoutMs) return this.#failed(slot, 'timeout', segmentIds, started, `took ${latencyMs.toFixed(1)} ms, deadline ${timeoutMs} ms`);
    try {
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

/** The result of an instance none of whose origins is in the phase: shared, so frozen. */
const nothingToScan: ScanResult = Object.freeze({ outcome: 'pass', score: null, findings: Object.freeze([]) as unknown as Finding[] });
const noSegmentIds = Object.freeze([]) as unknown as string[];

/** A tail that is not a sane count means "unknown": the whole hold-back window applies. */
function saneTail(tail: number | undefined): boolean {
  return tail === undefined || (Number.isInteger(tail) && tail >= 0);
}

/**
 * Guards the contract: a scanner bug must not push spans or scores out of range downstream. A result with
 * nothing found, nothing to edit and a sane tail (nearly every one) is returned as it is, without a copy.
 */
function sanitise(result: ScanResult, segments: readonly ScanSegment[]): ScanResult {
  if (result.findings.length === 0 && (result.edits === undefined || result.edits.length === 0) && saneTail(result.tail)) return result;
  const lengths = new Map(segments.map((segment) => [segment.id, segment.text.length]));
  const inRange = (segmentId: string, start: number, end: number): boolean => {
    const length = lengths.get(segmentId);
    return length !== undefined && start >= 0 && start <= end && end <= length;
  };
  const findings: Finding[] = result.findings.filter((finding) => inRange(finding.segmentId, finding.span[0], finding.span[1]));
  for (const finding of findings) finding.score = Math.min(1, Math.max(0, Number.isFinite(finding.score) ? finding.score : 1));
  const edits = result.edits?.filter((edit) => inRange(edit.segmentId, edit.start, edit.end));
  const sanitised: ScanResult = edits ? { ...result, findings, edits } : { ...result, findings };
  if (!saneTail(result.tail)) delete sanitised.tail;
  return sanitised;
}
