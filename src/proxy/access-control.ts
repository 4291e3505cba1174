import { join } from 'node:path';
import type { Logger } from 'pino';
import { createSqliteKeyStore } from '../auth/sqlite-key-store.ts';
import type { KeyStore } from '../auth/types.ts';
import type { Config } from '../config/schema.ts';
import { AbuseDetector } from '../abuse/detector.ts';
import { createAdminAccess, type AdminAccess } from '../auth/admin-access.ts';
import { BudgetGuard } from '../limits/budgets.ts';
import { Limiter } from '../limits/limiter.ts';
import { createPriceList } from '../limits/pricing.ts';
import { createMemoryLimitStore } from '../limits/memory-limit-store.ts';
import { createRedisLimitStore } from '../limits/redis-limit-store.ts';
import { withStoreErrorPolicy } from '../limits/resilient-limit-store.ts';
import type { LimitStore } from '../limits/types.ts';

/** Who may call (keys in control.db) and how much (the limiter); built once at startup. */
export interface AccessControl {
  keys: KeyStore;
  limiter: Limiter;
  /** Spend against budgets stored in control.db, priced by `pricing`. */
  budgets: BudgetGuard;
  /** Per-process abuse scoring; null when `abuse.enabled` is false. */
  abuse: AbuseDetector | null;
  /** Admin users, tokens, policy documents and provider credentials, plus OIDC keys; null when `admin.enabled` is false. */
  admin: AdminAccess | null;
  close(): Promise<void>;
}

/** Opens control.db in the data directory and the configured limit store. */
export async function createAccessControl(options: { config: Config; dataDir: string; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<AccessControl> {
  const { config, logger } = options;
  const keys = createSqliteKeyStore({ path: join(options.dataDir, 'control.db'), cacheTtlMs: config.auth.cacheTtlMs });
  const { limits } = config;
  let store: LimitStore;
  try {
    store =
      limits.store === 'redis'
        ? withStoreErrorPolicy(await createRedisLimitStore({ url: limits.redis.url, keyPrefix: limits.redis.keyPrefix, algorithm: limits.algorithm, commandTimeoutMs: limits.redis.commandTimeoutMs }), { onStoreError: limits.onStoreError, logger, algorithm: limits.algorithm })
        : createMemoryLimitStore({ algorithm: limits.algorithm });
  } catch (error) {
    keys.close();
    throw error;
  }
  const limiter = new Limiter({
    store,
    defaults: limits.defaults,
    overrides: (scope, id) => keys.limitOverride(scope, id),
    leaseTtlMs: limits.leaseTimeoutMs,
  });
  const admin = config.admin.enabled ? createAdminAccess({ config: config.admin, dataDir: options.dataDir, ...(options.env ? { env: options.env } : {}) }) : null;
  const budgets = new BudgetGuard({
    store,
    price: createPriceList(config.pricing),
    budgets: (scope, id) => keys.budgets(scope, id).map((budget) => ({ scope, id, amount: budget.amount, currency: budget.currency, period: budget.period, soft: budget.soft })),
    unpricedModels: config.budgets.unpricedModels,
    defaultOutputTokens: config.budgets.defaultOutputTokens,
  });
  return {
    keys,
    limiter,
    budgets,
    abuse: config.abuse.enabled ? new AbuseDetector(config.abuse) : null,
    admin,
    async close() {
      await store.close();
      admin?.close();
      keys.close();
    },
  };
}
