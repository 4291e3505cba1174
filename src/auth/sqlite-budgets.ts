import type { Database } from 'better-sqlite3';
import type { BudgetPeriodName, KeySuspension, LimitScope, StoredBudget } from './types.ts';

/** Budgets and key suspensions in control.db, with the same bounded TTL cache as keys and limit overrides. */

const periods: readonly BudgetPeriodName[] = ['day', 'week', 'month', 'total'];
const scopes: readonly LimitScope[] = ['key', 'project', 'tenant'];

interface BudgetRow {
  scope: LimitScope;
  scope_id: string;
  period: BudgetPeriodName;
  amount: number;
  currency: string;
  soft: number | null;
  updated_at: string;
}

const toBudget = (row: BudgetRow): StoredBudget => ({ scope: row.scope, scopeId: row.scope_id, period: row.period, amount: row.amount, currency: row.currency, soft: row.soft, updatedAt: row.updated_at });

/** Checks a budget before it is stored, naming the field and what was expected. */
export function validateBudget(budget: Omit<StoredBudget, 'updatedAt'>): void {
  if (!scopes.includes(budget.scope)) throw new Error(`scope: expected one of ${scopes.join(', ')}, got "${budget.scope}"`);
  if (!periods.includes(budget.period)) throw new Error(`period: expected one of ${periods.join(', ')}, got "${budget.period}"`);
  if (!Number.isFinite(budget.amount) || budget.amount <= 0 || budget.amount > 1e9) throw new Error(`amount: expected a number > 0 and <= 1e9, got ${budget.amount}`);
  if (!/^[A-Z]{3}$/.test(budget.currency)) throw new Error(`currency: expected a three-letter code such as USD, got "${budget.currency.slice(0, 20)}"`);
  if (budget.soft !== null && (!Number.isFinite(budget.soft) || budget.soft <= 0 || budget.soft >= 1)) throw new Error(`soft: expected a fraction between 0 and 1 (e.g. 0.8), got ${budget.soft}`);
}

export class SqliteBudgets {
  readonly #budgetCache = new Map<string, { value: StoredBudget[]; at: number }>();
  readonly #suspensionCache = new Map<string, { value: KeySuspension | null; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  setBudget(budget: Omit<StoredBudget, 'updatedAt'>): StoredBudget {
    validateBudget(budget);
    const stored: StoredBudget = { ...budget, updatedAt: new Date(this.now()).toISOString() };
    this.db
      .prepare(`INSERT INTO budgets (scope, scope_id, period, amount, currency, soft, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (scope, scope_id, period) DO UPDATE SET amount = excluded.amount, currency = excluded.currency, soft = excluded.soft, updated_at = excluded.updated_at`)
      .run(stored.scope, stored.scopeId, stored.period, stored.amount, stored.currency, stored.soft, stored.updatedAt);
    this.#budgetCache.delete(`${budget.scope}:${budget.scopeId}`);
    return stored;
  }

  deleteBudget(scope: LimitScope, id: string, period: BudgetPeriodName): boolean {
    const result = this.db.prepare('DELETE FROM budgets WHERE scope = ? AND scope_id = ? AND period = ?').run(scope, id, period);
    this.#budgetCache.delete(`${scope}:${id}`);
    return result.changes > 0;
  }

  budgets(scope: LimitScope, id: string): StoredBudget[] {
    const now = this.now();
    const cacheKey = `${scope}:${id}`;
    const cached = this.#budgetCache.get(cacheKey);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const value = (this.db.prepare('SELECT * FROM budgets WHERE scope = ? AND scope_id = ? ORDER BY period').all(scope, id) as BudgetRow[]).map(toBudget);
    if (this.#budgetCache.size >= 10_000) this.#budgetCache.clear();
    this.#budgetCache.set(cacheKey, { value, at: now });
    return value;
  }

  listBudgets(filter: { scope?: LimitScope; scopeIds?: readonly string[] } = {}): StoredBudget[] {
    const rows = (this.db.prepare('SELECT * FROM budgets ORDER BY scope, scope_id, period').all() as BudgetRow[]).map(toBudget);
    return rows.filter((budget) => (filter.scope === undefined || budget.scope === filter.scope) && (filter.scopeIds === undefined || filter.scopeIds.includes(budget.scopeId)));
  }

  suspendKey(keyId: string, reason: string): KeySuspension {
    this.db.prepare('INSERT INTO key_suspensions (key_id, reason, suspended_at) VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING').run(keyId, reason.slice(0, 500), new Date(this.now()).toISOString());
    this.#suspensionCache.delete(keyId);
    return this.suspension(keyId)!;
  }

  unsuspendKey(keyId: string): boolean {
    const result = this.db.prepare('DELETE FROM key_suspensions WHERE key_id = ?').run(keyId);
    this.#suspensionCache.delete(keyId);
    return result.changes > 0;
  }

  suspension(keyId: string): KeySuspension | null {
    const now = this.now();
    const cached = this.#suspensionCache.get(keyId);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const row = this.db.prepare('SELECT key_id, reason, suspended_at FROM key_suspensions WHERE key_id = ?').get(keyId) as { key_id: string; reason: string; suspended_at: string } | undefined;
    const value = row ? { keyId: row.key_id, reason: row.reason, suspendedAt: row.suspended_at } : null;
    if (this.#suspensionCache.size >= 10_000) this.#suspensionCache.clear();
    this.#suspensionCache.set(keyId, { value, at: now });
    return value;
  }
}
