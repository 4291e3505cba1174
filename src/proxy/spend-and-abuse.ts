import { ABUSE_SIGNALS, SIGNAL_WEIGHTS } from '../abuse/detector.ts';
import { lastUserText } from '../abuse/prompt-text.ts';
import type { Principal } from '../auth/types.ts';
import { BulwarkError } from '../errors/bulwark-error.ts';
import type { BudgetHold } from '../limits/budgets.ts';
import { formatMicros } from '../limits/pricing.ts';
import { recordAlert } from './alerts.ts';
import type { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';

/** Budget and abuse steps of admission (before the call) and of settling (after it). */

// Models already warned about per gateway (allow-and-log logs each unpriced model once per process; bounded).
const warnedUnpriced = new WeakMap<Gateway, Set<string>>();

const periodWord = { day: 'today', week: 'this week', month: 'this month', total: 'in total' } as const;

/** BULWARK_KEY_SUSPENDED when control.db says the key is suspended; forgets this process's abuse history once an administrator lifted it. */
export function suspensionError(gateway: Gateway, principal: Principal, eventId: string): BulwarkError | null {
  const access = gateway.access!;
  const suspension = access.keys.suspension(principal.keyId);
  if (suspension) return new BulwarkError('BULWARK_KEY_SUSPENDED', `This API key is suspended (${suspension.reason.slice(0, 200)}) since ${suspension.suspendedAt}; an administrator can lift it with \`bulwark keys unsuspend ${principal.keyId}\`.`, { details: { eventId, keyId: principal.keyId, suspendedAt: suspension.suspendedAt } });
  if (access.abuse?.suspended(principal.keyId)) access.abuse.reset(principal.keyId);
  return null;
}

/**
 * Scores the request with the abuse detector: raises an alert when the key's level rose,
 * suspends it (in control.db) at `suspendAt`, and returns the throttle cap to apply.
 */
export function assessAbuse(gateway: Gateway, principal: Principal, request: { body: unknown; requestId: string; model: string | null; eventId: string }): { cap: number | null; refuse: BulwarkError | null } {
  const detector = gateway.access?.abuse;
  if (!detector) return { cap: null, refuse: null };
  const assessment = detector.observe(principal.keyId, lastUserText(request.body));
  if (assessment.escalated) {
    const findings = ABUSE_SIGNALS.filter((signal) => assessment.signals[signal] > 0).map((signal) => ({
      ruleId: `abuse/${signal}`,
      message: `abuse signal ${signal} at ${assessment.signals[signal].toFixed(2)} (weight ${SIGNAL_WEIGHTS[signal]}); key score ${assessment.score.toFixed(2)}, now ${assessment.escalated}`,
      score: assessment.signals[signal],
      severity: assessment.escalated === 'flag' ? ('medium' as const) : ('high' as const),
    }));
    findings.push({ ruleId: `abuse/${assessment.escalated}`, message: `key ${principal.keyId} ${assessment.escalated === 'flag' ? 'flagged' : assessment.escalated === 'throttle' ? `throttled to ${assessment.throttleRequestsPerMinute} requests per minute` : 'suspended'} at abuse score ${assessment.score.toFixed(2)}`, score: assessment.score, severity: assessment.escalated === 'flag' ? 'medium' : 'high' });
    recordAlert(gateway, { kind: 'abuse', requestId: request.requestId, principal, model: request.model, findings, log: `abuse detection: key ${assessment.escalated === 'flag' ? 'flagged' : assessment.escalated === 'throttle' ? 'throttled' : 'suspended'}` });
  }
  if (assessment.level === 'suspend') {
    const suspension = gateway.access!.keys.suspendKey(principal.keyId, `abuse score ${assessment.score.toFixed(2)}`);
    return { cap: null, refuse: new BulwarkError('BULWARK_KEY_SUSPENDED', `This API key was suspended by abuse detection (score ${assessment.score.toFixed(2)}); an administrator can lift it with \`bulwark keys unsuspend ${principal.keyId}\`.`, { details: { eventId: request.eventId, keyId: principal.keyId, suspendedAt: suspension.suspendedAt } }) };
  }
  return { cap: assessment.throttleRequestsPerMinute, refuse: null };
}

/** Output tokens the caller allows (chat `max_tokens` / `max_completion_tokens`), 0 for bodies without messages (embeddings), null: the default estimate. */
function maxOutputTokens(body: unknown): number | null {
  if (!body || typeof body !== 'object') return 0;
  const record = body as Record<string, unknown>;
  if (!Array.isArray(record.messages)) return 0;
  const limit = record.max_completion_tokens ?? record.max_tokens;
  return typeof limit === 'number' && Number.isFinite(limit) && limit >= 0 ? limit : null;
}

/** Refuses a call that would pass a hard budget (402) or that no price covers (403, `unpricedModels: block`). */
export async function checkBudget(gateway: Gateway, principal: Principal, request: { model: string | null; body: unknown; inputTokens: number; eventId: string }): Promise<{ hold: BudgetHold | null; refuse: BulwarkError | null }> {
  const guard = gateway.access!.budgets;
  const check = await guard.check({ tenant: principal.tenant, project: principal.project, key: principal.keyId }, request.model, { inputTokens: request.inputTokens, maxOutputTokens: maxOutputTokens(request.body) });
  if (check.ok) {
    if (check.unpriced) {
      const model = String(request.model).slice(0, 200);
      const warned = warnedUnpriced.get(gateway) ?? new Set<string>();
      warnedUnpriced.set(gateway, warned);
      if (!warned.has(model) && warned.size < 1000) {
        warned.add(model);
        gateway.logger.warn({ model, tenant: principal.tenant, keyId: principal.keyId }, 'model has no pricing entry in the budget currency; served without counting spend (budgets.unpricedModels: allow-and-log; logged once per model)');
      }
    }
    return { hold: check.hold, refuse: null };
  }
  const { rule } = check;
  if (check.reason === 'unpriced') {
    return { hold: null, refuse: new BulwarkError('BULWARK_MODEL_UNPRICED', `The model "${String(check.model).slice(0, 200)}" has no ${rule.currency} price in this gateway's pricing, so the ${rule.period} budget of ${rule.scope} ${rule.id} cannot be enforced; ask your administrator to add a pricing entry.`, { param: 'model', details: { eventId: request.eventId, scope: rule.scope, scopeId: rule.id } }) };
  }
  const periodEnd = check.periodEnd === null ? null : new Date(check.periodEnd).toISOString();
  const spent = formatMicros(check.spentMicros);
  return {
    hold: null,
    refuse: new BulwarkError(
      'BULWARK_BUDGET_EXCEEDED',
      `Budget exceeded for ${rule.scope} ${rule.id}: ${spent} of ${rule.amount.toFixed(2)} ${rule.currency} spent ${periodWord[rule.period]}${check.spentMicros < rule.amount * 1_000_000 ? ` and this request may cost up to ${formatMicros(check.estimateMicros)}` : ''}; ${periodEnd ? `the budget resets at ${periodEnd}` : 'the budget never resets (period total)'}.`,
      { details: { eventId: request.eventId, scope: rule.scope, scopeId: rule.id, budget: rule.amount, currency: rule.currency, spent: Number(spent), period: rule.period, periodEnd, estimate: Number(formatMicros(check.estimateMicros)) } },
    ),
  };
}

/** After the response: charges the call against its budgets (alerting once per soft threshold and period) and feeds the abuse detector. */
export async function settleSpendAndAbuse(gateway: Gateway, principal: Principal, draft: EventDraft, hold: BudgetHold | null): Promise<void> {
  const access = gateway.access!;
  access.abuse?.recordOutcome(principal.keyId, { inputTokens: draft.inputTokens, outputTokens: draft.outputTokens, blocked: draft.decision === 'block' && draft.error === undefined });
  // Only calls that reached a provider cost anything; without reported usage the estimate is charged.
  if (!hold || draft.provider === null) return;
  const usage = draft.inputTokens === null && draft.outputTokens === null ? null : { inputTokens: draft.inputTokens ?? 0, outputTokens: draft.outputTokens ?? 0 };
  const crossed = await access.budgets.settle(hold, usage);
  for (const { rule, spentMicros, periodEnd } of crossed) {
    recordAlert(gateway, {
      kind: 'budget',
      requestId: draft.requestId,
      principal,
      model: draft.model,
      findings: [{ ruleId: 'budget/soft-limit', message: `${rule.scope} ${rule.id} spent ${formatMicros(spentMicros)} of its ${rule.amount.toFixed(2)} ${rule.currency} ${rule.period} budget (soft threshold ${Math.round((rule.soft ?? 0) * 100)}%; period ends ${periodEnd === null ? 'never' : new Date(periodEnd).toISOString()})`, score: rule.soft ?? 0, severity: 'medium' }],
      log: 'budget soft threshold crossed',
    });
  }
}
