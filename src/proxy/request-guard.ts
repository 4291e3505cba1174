import type { Route } from '../config/schema.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { UpstreamResult } from '../providers/upstream-client.ts';
import type { TextSegment } from '../wire/types.ts';
import { blockedError } from './blocked.ts';
import { applyEditsToBody } from './edits.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { scanPhase, type PhaseOutcome } from './scan-phase.ts';
import { upstreamError } from './upstream-errors.ts';

/** Steps every proxied route shares, so their error handling cannot drift apart. */

/** Throws BULWARK_INVALID_REQUEST listing every problem, with the first field as `param`. */
export function assertValid(validation: { ok: true } | { ok: false; issues: { path: string; message: string }[] }): void {
  if (validation.ok) return;
  throw new BulwarkError('BULWARK_INVALID_REQUEST', validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { param: validation.issues[0]?.path ?? null });
}

/** The route serving `model`, or BULWARK_UNKNOWN_MODEL. */
export function routeFor(gateway: Gateway, model: string): Route {
  const route = gateway.resolveRoute(model);
  if (!route) throw new BulwarkError('BULWARK_UNKNOWN_MODEL', `The model "${model}" is not served by this gateway; no route matches it.`, { param: 'model' });
  return route;
}

/** Scans a request's segments and writes redactions into the body; records and throws when the policy blocks. */
export async function guardRequest(gateway: Gateway, options: { body: Record<string, unknown>; segments: readonly TextSegment[]; draft: EventDraft; state: Map<string, unknown> }): Promise<PhaseOutcome> {
  const { body, segments, draft } = options;
  const outcome = await scanPhase(gateway, 'request', segments, draft, options.state);
  // A redaction that cannot be written back would pass the content on: fail closed.
  if (outcome.verdict.decision === 'redact' && !applyEditsToBody(body, segments, outcome.verdict.edits)) outcome.verdict.decision = 'block';
  if (outcome.verdict.decision === 'block') {
    const error = blockedError(outcome.verdict, { policy: gateway.config.policy.name, eventId: draft.id, phase: 'request' });
    gateway.record(draft.finish('block', error.status));
    throw error;
  }
  return outcome;
}

/** Records a failed upstream call and throws the client-facing error. */
export function failUpstream(gateway: Gateway, draft: EventDraft, result: Extract<UpstreamResult, { ok: false }>): never {
  const error = upstreamError(result, draft.id);
  draft.provider = result.provider ?? null;
  draft.error = `${result.kind}: ${result.message}`;
  gateway.record(draft.finish('error', error.status));
  throw error;
}
