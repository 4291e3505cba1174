import type { BudgetPeriodName, KeyStore, LimitScope, StoredBudget } from '../../auth/types.ts';
import { BudgetGuard, type BudgetRule } from '../../limits/budgets.ts';
import { createPriceList, formatMicros } from '../../limits/pricing.ts';
import { createRedisLimitStore } from '../../limits/redis-limit-store.ts';
import { periodWindow } from '../../limits/periods.ts';
import { exitCodes, type CliIo } from '../io.ts';
import { configFor } from '../load-config.ts';
import { projectOf, table, tenantOf, withStore, type AccessCommandOptions } from './access.ts';

/** `bulwark budgets set|show|remove` and `bulwark keys unsuspend`: budgets and suspensions in control.db. */

export interface BudgetTargetOptions extends AccessCommandOptions {
  tenant: string;
  project?: string;
  key?: string;
}

export interface BudgetsSetOptions extends BudgetTargetOptions {
  amount: string;
  period?: string;
  soft?: string;
  currency?: string;
}

const periods: readonly BudgetPeriodName[] = ['day', 'week', 'month', 'total'];

function periodOf(value: string | undefined): BudgetPeriodName {
  const period = (value ?? 'month') as BudgetPeriodName;
  if (!periods.includes(period)) throw new Error(`--period: expected one of ${periods.join(', ')}, got "${value}"`);
  return period;
}

/** The one scope the flags name: --key (within --tenant), else --project, else the tenant. */
function targetOf(store: KeyStore, options: BudgetTargetOptions): { scope: LimitScope; id: string } {
  const tenant = tenantOf(store, options.tenant);
  if (options.key !== undefined) {
    const key = store.getKey(options.key);
    if (!key || key.tenantId !== tenant.id) throw new Error(`--key: no key with id "${options.key}" in tenant ${tenant.name}`);
    return { scope: 'key', id: key.id };
  }
  if (options.project !== undefined) return { scope: 'project', id: projectOf(store, tenant, options.project).id };
  return { scope: 'tenant', id: tenant.id };
}

export function budgetsSetCommand(options: BudgetsSetOptions, io: CliIo): number {
  const amount = Number(options.amount);
  if (options.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0) throw new Error(`--amount: expected a number > 0, got "${options.amount}"`);
  const soft = options.soft === undefined || options.soft === 'none' ? null : Number(options.soft);
  if (soft !== null && !(soft > 0 && soft < 1)) throw new Error(`--soft: expected a fraction between 0 and 1 such as 0.8, or "none", got "${options.soft}"`);
  const period = periodOf(options.period);
  const stored = withStore(options, io, (store) => {
    const target = targetOf(store, options);
    return store.setBudget({ scope: target.scope, scopeId: target.id, period, amount, currency: (options.currency ?? 'USD').toUpperCase(), soft });
  });
  io.stdout(options.json ? `${JSON.stringify(stored)}\n` : `budget for ${stored.scope} ${stored.scopeId}: ${stored.amount} ${stored.currency} per ${stored.period}${stored.soft === null ? '' : `, alert at ${Math.round(stored.soft * 100)}%`}; gateways apply it within their auth.cacheTtlMs\n`);
  return exitCodes.ok;
}

export function budgetsRemoveCommand(options: BudgetTargetOptions & { period?: string }, io: CliIo): number {
  const period = periodOf(options.period);
  const result = withStore(options, io, (store) => {
    const target = targetOf(store, options);
    return { ...target, removed: store.deleteBudget(target.scope, target.id, period) };
  });
  io.stdout(options.json ? `${JSON.stringify({ ...result, period })}\n` : result.removed ? `removed the ${period} budget of ${result.scope} ${result.id}\n` : `no ${period} budget for ${result.scope} ${result.id}\n`);
  return exitCodes.ok;
}

/**
 * Budgets of a tenant (or one project or key of it) with the current period's spend. Spend is read
 * from Redis when the config's limit store is Redis; with the memory store it lives inside each
 * gateway process and cannot be shown here.
 */
export async function budgetsShowCommand(options: Omit<BudgetTargetOptions, 'tenant'> & { tenant: string; config?: string }, io: CliIo): Promise<number> {
  const { budgets, tenantId } = withStore(options, io, (store) => {
    const tenant = tenantOf(store, options.tenant);
    let ids: string[];
    if (options.key !== undefined || options.project !== undefined) ids = [targetOf(store, options).id];
    else ids = [tenant.id, ...store.listProjects(tenant.id).map((project) => project.id), ...store.listKeys({ tenantId: tenant.id }).map((key) => key.id)];
    return { budgets: store.listBudgets({ scopeIds: ids }), tenantId: tenant.id };
  });
  const config = configFor(options.config, io.env);
  let spent: (number | null)[] = budgets.map(() => null);
  if (config.limits.store === 'redis' && budgets.length > 0) {
    const store = await createRedisLimitStore({ url: config.limits.redis.url, keyPrefix: config.limits.redis.keyPrefix, commandTimeoutMs: config.limits.redis.commandTimeoutMs });
    try {
      const guard = new BudgetGuard({ store, price: createPriceList(config.pricing), budgets: () => [], unpricedModels: config.budgets.unpricedModels, defaultOutputTokens: config.budgets.defaultOutputTokens });
      spent = await guard.spend(tenantId, budgets.map(toRule));
    } finally {
      await store.close();
    }
  }
  const now = Date.now();
  const rows = budgets.map((budget, index) => {
    const end = periodWindow(budget.period, now).end;
    const micros = spent[index] ?? null;
    return { ...budget, spent: micros === null ? null : Number(formatMicros(micros)), percent: micros === null ? null : Math.round((micros / (budget.amount * 1_000_000)) * 1000) / 10, periodEnd: end === null ? null : new Date(end).toISOString() };
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(rows)}\n`);
    return exitCodes.ok;
  }
  if (rows.length === 0) {
    io.stdout('no budgets\n');
    return exitCodes.ok;
  }
  io.stdout(table([['SCOPE', 'ID', 'PERIOD', 'SPENT', 'BUDGET', 'USED', 'SOFT', 'RESETS'], ...rows.map((row) => [row.scope, row.scopeId, row.period, row.spent === null ? 'n/a' : row.spent.toFixed(2), `${row.amount.toFixed(2)} ${row.currency}`, row.percent === null ? 'n/a' : `${row.percent}%`, row.soft === null ? '-' : `${Math.round(row.soft * 100)}%`, row.periodEnd ?? 'never'])]));
  if (config.limits.store !== 'redis') io.stdout('spend n/a: limits.store is memory, so spend is counted inside each gateway process (use the redis store to share and show it)\n');
  return exitCodes.ok;
}

function toRule(budget: StoredBudget): BudgetRule {
  return { scope: budget.scope, id: budget.scopeId, amount: budget.amount, currency: budget.currency, period: budget.period, soft: budget.soft };
}

export function keysUnsuspendCommand(id: string, options: AccessCommandOptions, io: CliIo): number {
  const lifted = withStore(options, io, (store) => {
    if (!store.getKey(id)) throw new Error(`no key with id "${id}" (see \`bulwark keys list\`)`);
    return store.unsuspendKey(id);
  });
  io.stdout(options.json ? `${JSON.stringify({ keyId: id, unsuspended: lifted })}\n` : lifted ? `lifted the suspension of key ${id}; gateways serve it again within their auth.cacheTtlMs\n` : `key ${id} was not suspended\n`);
  return exitCodes.ok;
}
