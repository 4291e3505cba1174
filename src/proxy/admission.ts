import { modelAllowed } from '../auth/key-format.ts';
import type { Principal } from '../auth/types.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { BudgetHold } from '../limits/budgets.ts';
import type { Limiter, Ticket } from '../limits/limiter.ts';
import { LimitStoreError } from '../limits/types.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { assessAbuse, checkBudget, settleSpendAndAbuse, suspensionError } from './spend-and-abuse.ts';

/**
 * One request's access: the principal the HTTP layer authenticated (null for an anonymous
 * loopback caller while no key exists) and the limit tickets taken for it. The HTTP layer
 * closes it after the handler returns (streams included), which releases concurrency slots and
 * charges the real token usage, whatever path the request took.
 */
export class RequestAccess {
  readonly #held: { ticket: Ticket; draft: EventDraft; budget: BudgetHold | null }[] = [];

  constructor(readonly principal: Principal | null) {}

  hold(ticket: Ticket, draft: EventDraft): { budget: BudgetHold | null } {
    const held = { ticket, draft, budget: null };
    this.#held.push(held);
    return held;
  }

  /**
   * Settles every ticket; never throws (a failed release expires with its lease). Synchronous (undefined)
   * when nothing is held, as for every request without limits: no promise per request then.
   */
  close(gateway: Gateway): Promise<void> | undefined {
    const limiter = gateway.access?.limiter;
    if (!limiter || this.#held.length === 0) return undefined;
    return this.#settle(gateway, limiter);
  }

  async #settle(gateway: Gateway, limiter: Limiter): Promise<void> {
    for (const { ticket, draft, budget } of this.#held.splice(0)) {
      const used = draft.inputTokens === null && draft.outputTokens === null ? null : (draft.inputTokens ?? 0) + (draft.outputTokens ?? 0);
      await limiter.settle(ticket, used).catch((error: unknown) => gateway.logger.warn({ err: { message: (error as Error).message } }, 'could not settle a rate-limit ticket; its lease expires on its own'));
      if (this.principal) await settleSpendAndAbuse(gateway, this.principal, draft, budget).catch((error: unknown) => gateway.logger.warn({ err: { message: (error as Error).message } }, 'could not record spend for a finished call'));
    }
  }
}

/** A rough token count of a request before the call: about four characters per token of its JSON. */
export function estimateTokens(body: unknown): number {
  return Math.ceil(JSON.stringify(body ?? '').length / 4);
}

interface AdmissionRequest {
  model: string | null;
  providers?: readonly string[];
  draft: EventDraft;
  body: unknown;
}

/**
 * THE enforcement point for a principal: records who called on the event, checks the key's
 * model and provider allow-lists (403), its suspension (403), scores it for abuse (which may
 * throttle or suspend it), then the rate and concurrency limits (429, or 503 when the limit
 * store is down and fails closed), then its budgets (402). Refusals are recorded as events, like blocks.
 */
export function admit(gateway: Gateway, access: RequestAccess | undefined, request: AdmissionRequest): Promise<void> | undefined {
  const principal = access?.principal;
  // Anonymous callers (no keys exist yet): nothing to check, and no promise to pay for.
  if (!access || !principal) return undefined;
  return admitPrincipal(gateway, access, principal, request);
}

async function admitPrincipal(gateway: Gateway, access: RequestAccess, principal: Principal, request: AdmissionRequest): Promise<void> {
  const { draft } = request;
  draft.tenant = principal.tenant;
  draft.contentMode = gateway.config.storage.tenants[principal.tenant]?.content ?? gateway.config.storage.content;
  draft.project = principal.project;
  draft.keyId = principal.keyId;
  const refuse = (error: BulwarkError): never => {
    draft.error = error.code;
    gateway.record(draft.finish('block', error.status));
    throw error;
  };
  // A model or provider must pass both the key's allow-list and its project's.
  for (const [who, models, providers] of [['API key', principal.models, principal.providers], ['project', principal.projectModels ?? [], principal.projectProviders ?? []]] as const) {
    if (request.model !== null && !modelAllowed(models, request.model)) {
      refuse(new BulwarkError('BULWARK_FORBIDDEN_MODEL', `This ${who} may not use the model "${request.model.slice(0, 200)}".`, { param: 'model', details: { eventId: draft.id } }));
    }
    if (providers.length > 0 && request.providers) {
      // Fallback may reach any provider of the route, so every one of them must be allowed.
      const denied = request.providers.filter((provider) => !providers.includes(provider));
      if (denied.length > 0) refuse(new BulwarkError('BULWARK_FORBIDDEN_PROVIDER', `This ${who} may not use provider(s) ${denied.join(', ')}, which serve the model "${String(request.model).slice(0, 200)}".`, { param: 'model', details: { eventId: draft.id } }));
    }
  }
  const limiter = gateway.access?.limiter;
  if (!limiter) return;
  const suspended = suspensionError(gateway, principal, draft.id);
  if (suspended) refuse(suspended);
  const abuse = assessAbuse(gateway, principal, { body: request.body, requestId: draft.requestId, model: request.model, eventId: draft.id });
  if (abuse.refuse) refuse(abuse.refuse);
  const estimate = estimateTokens(request.body);
  let result;
  let held: { budget: BudgetHold | null } | undefined;
  try {
    result = await limiter.admit({ tenant: principal.tenant, project: principal.project, key: principal.keyId }, estimate, { keyRequestsCap: abuse.cap });
    // Held before the budget check, so a budget refusal still releases the limit ticket.
    if (result.ok) held = access.hold(result.ticket, draft);
    const budget = result.ok ? await checkBudget(gateway, principal, { model: request.model, body: request.body, inputTokens: estimate, eventId: draft.id }) : null;
    if (budget?.refuse) refuse(budget.refuse);
    if (held && budget) held.budget = budget.hold;
  } catch (error) {
    if (!(error instanceof LimitStoreError)) throw error;
    gateway.logger.error({ err: { message: error.message } }, 'limit store unavailable; refusing (onStoreError: fail-closed)');
    return refuse(new BulwarkError('BULWARK_LIMITS_UNAVAILABLE', 'Rate limits cannot be checked right now; retry shortly.', { details: { eventId: draft.id, retryAfterSeconds: 1 } }));
  }
  if (!result.ok) {
    const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    const what = result.metric === 'concurrent' ? 'concurrent requests' : result.metric === 'tokens' ? 'tokens per minute' : 'requests per minute';
    const why = result.throttled ? ' (temporarily reduced: this key is throttled by abuse detection)' : '';
    return refuse(new BulwarkError('BULWARK_RATE_LIMITED', `Rate limit reached: ${result.limit} ${what} for this ${result.scope}${why}; retry after ${retryAfterSeconds} s.`, { details: { eventId: draft.id, scope: result.scope, limit: result.limit, metric: result.metric, retryAfterSeconds, ...(result.throttled ? { reason: 'abuse-throttle' } : {}) } }));
  }
}
