import type { LimitScopeName, LimitSubject } from './limiter.ts';
import { periodWindow, type BudgetPeriod } from './periods.ts';
import { costMicros, type Price } from './pricing.ts';
import type { LimitStore, SpendCounter } from './types.ts';

/** One budget of a key, project or tenant (stored in control.db). */
export interface BudgetRule {
  scope: LimitScopeName;
  /** The key, project or tenant id. */
  id: string;
  /** Hard limit, in whole currency units (e.g. 50 = 50 USD). */
  amount: number;
  currency: string;
  period: BudgetPeriod;
  /** Fraction of `amount` at which one alert is raised per period; null: no soft threshold. */
  soft: number | null;
}

export interface BudgetGuardOptions {
  store: LimitStore;
  price: (model: string) => Price | null;
  /** The budgets of one scope id (cached by the caller). */
  budgets: (scope: LimitScopeName, id: string) => readonly BudgetRule[];
  unpricedModels: 'block' | 'allow-and-log';
  defaultOutputTokens: number;
  now?: () => number;
}

/** What an admitted call carries until its usage is known. */
export interface BudgetHold {
  subject: LimitSubject;
  price: Price;
  rules: readonly BudgetRule[];
  /** Estimated cost in micro-units (charged when the upstream reports no usage). */
  estimateMicros: number;
}

export type BudgetCheck =
  | { ok: true; hold: BudgetHold | null; unpriced: boolean }
  | { ok: false; reason: 'unpriced'; model: string | null; rule: BudgetRule }
  | { ok: false; reason: 'exceeded'; rule: BudgetRule; spentMicros: number; estimateMicros: number; periodEnd: number | null };

/** A soft threshold crossed by one charge: raised once per budget and period (the store's atomic add decides who saw it). */
export interface SoftCrossing {
  rule: BudgetRule;
  spentMicros: number;
  periodEnd: number | null;
}

const scopes: readonly LimitScopeName[] = ['key', 'project', 'tenant'];
const micros = (amount: number): number => Math.round(amount * 1_000_000);

/** The spend counter of one budget: per scope id and currency; the store adds the period id. */
export function spendCounter(rule: Pick<BudgetRule, 'scope' | 'id' | 'currency' | 'period'>): SpendCounter {
  return { key: `${rule.scope}:${rule.id}:spend:${rule.currency}`, period: rule.period };
}

/**
 * Budgets per key, project and tenant: before a call, refuses one whose estimated cost would take
 * the spend past a hard budget (or that is already past it); after the call, charges the real
 * cost (upstream usage × price) and reports soft thresholds crossed.
 */
export class BudgetGuard {
  readonly #clock: () => number;

  constructor(private readonly options: BudgetGuardOptions) {
    this.#clock = options.now ?? Date.now;
  }

  /** Every budget that applies to a subject, most specific scope first. */
  rulesFor(subject: LimitSubject): BudgetRule[] {
    return scopes.flatMap((scope) => this.options.budgets(scope, subject[scope]));
  }

  /** Checks a call before it is made. `model` null (the scan API) is never charged. */
  async check(subject: LimitSubject, model: string | null, estimate: { inputTokens: number; maxOutputTokens: number | null }): Promise<BudgetCheck> {
    if (model === null) return { ok: true, hold: null, unpriced: false };
    const rules = this.rulesFor(subject);
    if (rules.length === 0) return { ok: true, hold: null, unpriced: false };
    const price = this.options.price(model);
    const priced = price ? rules.filter((rule) => rule.currency === price.currency) : [];
    if (!price || priced.length < rules.length) {
      const rule = rules.find((candidate) => candidate.currency !== price?.currency)!;
      if (this.options.unpricedModels === 'block') return { ok: false, reason: 'unpriced', model, rule };
      if (!price || priced.length === 0) return { ok: true, hold: null, unpriced: true };
    }
    const estimateMicros = costMicros(price!, estimate.inputTokens, estimate.maxOutputTokens ?? this.options.defaultOutputTokens);
    const now = this.#clock();
    const spent = await this.options.store.getSpend(priced.map(spendCounter), { group: subject.tenant, now });
    for (const [index, rule] of priced.entries()) {
      const spentMicros = spent[index] ?? 0;
      if (spentMicros >= micros(rule.amount) || spentMicros + estimateMicros > micros(rule.amount)) {
        return { ok: false, reason: 'exceeded', rule, spentMicros, estimateMicros, periodEnd: periodWindow(rule.period, now).end };
      }
    }
    return { ok: true, hold: { subject, price: price!, rules: priced, estimateMicros }, unpriced: priced.length < rules.length };
  }

  /**
   * Charges a finished call: the upstream usage when known, else the estimate (`usage` null
   * because the provider reported none). Returns the soft thresholds this charge crossed.
   */
  async settle(hold: BudgetHold, usage: { inputTokens: number; outputTokens: number } | null): Promise<SoftCrossing[]> {
    const amount = usage ? costMicros(hold.price, usage.inputTokens, usage.outputTokens) : hold.estimateMicros;
    if (amount <= 0 || hold.rules.length === 0) return [];
    const now = this.#clock();
    const totals = await this.options.store.addSpend(hold.rules.map((rule) => ({ ...spendCounter(rule), amount })), { group: hold.subject.tenant, now });
    const crossed: SoftCrossing[] = [];
    for (const [index, rule] of hold.rules.entries()) {
      if (rule.soft === null) continue;
      const after = totals[index] ?? 0;
      const threshold = micros(rule.amount * rule.soft);
      if (after - amount < threshold && after >= threshold) crossed.push({ rule, spentMicros: after, periodEnd: periodWindow(rule.period, now).end });
    }
    return crossed;
  }

  /** Spend of the current period for each rule (for `budgets show`). */
  async spend(tenant: string, rules: readonly BudgetRule[]): Promise<number[]> {
    return this.options.store.getSpend(rules.map(spendCounter), { group: tenant, now: this.#clock() });
  }
}
