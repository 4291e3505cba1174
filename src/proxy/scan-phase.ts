import { decide, type Verdict } from '../policy/decide.ts';
import type { InstanceRun } from '../scanners/runner.ts';
import type { Phase, ScanSegment } from '../scanners/types.ts';
import type { TextSegment } from '../wire/types.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { toScanSegments } from './segments.ts';

export interface PhaseOutcome {
  verdict: Verdict;
  segments: ScanSegment[];
}

const empty: Verdict = { decision: 'allow', findings: [], edits: [], failures: [] };

function foundSomething(run: InstanceRun): boolean {
  return run.result !== null && run.result.findings.length > 0;
}

/** Scans one phase's segments, decides, and records both on the event draft. */
export async function scanPhase(gateway: Gateway, phase: Phase, textSegments: readonly TextSegment[], draft: EventDraft, state: Map<string, unknown>): Promise<PhaseOutcome> {
  if (!gateway.runner.has(phase)) return { verdict: empty, segments: [] };
  const segments = toScanSegments(textSegments);
  const trace = gateway.tracer?.get(draft.id);
  const started = trace ? performance.timeOrigin + performance.now() : 0;
  const runs = await gateway.runner.run(phase, segments, { requestId: draft.requestId, state });
  // One child span per instance run; the runner starts them together, so each starts with the phase.
  trace?.addScannerRuns(phase, started, runs.map((run) => ({ instance: run.slot.settings.id, scanner: run.slot.definition.id, outcome: run.status === 'ok' ? (run.result?.outcome ?? 'pass') : run.status, latencyMs: run.latencyMs, score: run.result?.score ?? null })));
  // The review loop's hooks only matter for findings; most phases have none, and building them costs closures.
  const hooks = gateway.review && runs.some(foundSomething) ? gateway.review.hooks(draft.tenant ?? 'default', draft.policy) : undefined;
  const verdict = decide(runs, segments, hooks);
  draft.addPhase(phase, runs, verdict, segments);
  return { verdict, segments };
}
