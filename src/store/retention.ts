import { randomUUID } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import { periodEndMs } from '../crypto/content-keys.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { ContentStorage } from './content-storage.ts';
import { adminEvent } from './admin-event.ts';
import type { EventStore, GatewayEvent } from './types.ts';

/**
 * Content retention with crypto-shredding (ADR 0008, update 2026-11-26). For each tenant
 * (audit partition) with a retention (storage.tenants[id].retentionDays, else
 * storage.retention.days), content of events older than the cutoff is cleared (format-2 rows
 * only: the chain commits to content_digest, so they still verify) and every data key whose
 * whole period lies before the cutoff is destroyed, which makes `full` content sealed under it
 * unreadable wherever a copy survives (backups, replicas, dead rows). Applying is audited: one
 * admin event per tenant acted on, appended to that tenant's chain.
 */

const DAY_MS = 86_400_000;

export interface TenantRetention {
  tenant: string;
  retentionDays: number;
  /** Content of events before this time is cleared. */
  cutoff: string;
  /** Format-2 events whose content was (or, in a dry run, would be) cleared. */
  contentCleared: number;
  /** Format-1 events (chained before content digests) older than the cutoff: their content is part of their hash, so it is kept. */
  legacyKept: number;
  /** Data keys destroyed (or that would be), with their periods. */
  keysDestroyed: { keyId: string; period: string }[];
}

export interface RetentionReport {
  dryRun: boolean;
  at: string;
  tenants: TenantRetention[];
}

export interface RetentionOptions {
  storage: ContentStorage;
  /** Where the admin events go (the gateway's store); absent: not audited (dry runs never are). */
  store?: Pick<EventStore, 'append'>;
  config: Pick<Config['storage'], 'retention' | 'tenants'>;
  /** Policy name recorded on the admin events. */
  policy: string;
  /** Who runs it, for the admin event: e.g. `gateway retention job` or `cli (user@host)`. */
  actor: string;
  dryRun: boolean;
  now?: number;
}

/** The retention of a tenant in days, or null when its content is kept forever. */
export function retentionDaysOf(config: RetentionOptions['config'], tenant: string): number | null {
  const own = config.tenants[tenant]?.retentionDays;
  return own !== undefined ? own : config.retention.days;
}

export async function runRetention(options: RetentionOptions): Promise<RetentionReport> {
  const now = options.now ?? Date.now();
  const at = new Date(now).toISOString();
  const { storage } = options;
  const partitions = new Set(await storage.partitions());
  for (const key of await storage.listKeys()) partitions.add(key.partition);
  const tenants: TenantRetention[] = [];
  for (const tenant of [...partitions].sort()) {
    const days = retentionDaysOf(options.config, tenant);
    if (days === null) continue;
    const cutoffMs = now - days * DAY_MS;
    const { cleared, legacy } = await storage.clearContent(tenant, cutoffMs, options.dryRun);
    const expired = (await storage.listKeys(tenant)).filter((key) => key.wrapped !== null && periodEndMs(key.period) <= cutoffMs);
    if (!options.dryRun && expired.length > 0) await storage.destroyKeys(expired.map((key) => key.keyId), at);
    const entry: TenantRetention = {
      tenant,
      retentionDays: days,
      cutoff: new Date(cutoffMs).toISOString(),
      contentCleared: cleared,
      legacyKept: legacy,
      keysDestroyed: expired.map((key) => ({ keyId: key.keyId, period: key.period })),
    };
    tenants.push(entry);
    if (!options.dryRun && options.store && (cleared > 0 || expired.length > 0)) options.store.append(retentionEvent(entry, options, at));
  }
  return { dryRun: options.dryRun, at, tenants };
}

/** The admin event of one tenant's retention run: ids and counts, never content. */
function retentionEvent(entry: TenantRetention, options: RetentionOptions, at: string): GatewayEvent {
  const keys = entry.keysDestroyed.map((key) => `${key.keyId} (${key.period})`).join(', ') || 'none';
  const message = `actor ${options.actor}; target tenant ${entry.tenant}: content before ${entry.cutoff} cleared (${entry.contentCleared} events, ${entry.legacyKept} format-1 kept), keys destroyed: ${keys}; done`;
  return adminEvent({
    requestId: `retention_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    time: at,
    route: 'admin.retention.apply',
    policy: options.policy,
    status: 200,
    message,
    contentMode: 'none',
    ...(entry.tenant !== 'default' ? { tenant: entry.tenant } : {}),
  });
}

/** Runs retention every `storage.retention.intervalMs` in the gateway (first run one minute after start); returns a stop function. */
export function startRetentionJob(options: Omit<RetentionOptions, 'dryRun' | 'now'> & { logger: Logger; intervalMs: number; firstRunMs?: number }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await runRetention({ ...options, dryRun: false });
      for (const t of report.tenants) {
        if (t.contentCleared > 0 || t.keysDestroyed.length > 0) options.logger.info({ tenant: t.tenant, contentCleared: t.contentCleared, keysDestroyed: t.keysDestroyed.length, legacyKept: t.legacyKept, cutoff: t.cutoff }, 'content retention applied');
      }
    } catch (err) {
      options.logger.error({ err: { message: (err as Error).message } }, 'content retention failed; will retry on the next interval');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), options.firstRunMs ?? 60_000);
  const every = setInterval(() => void tick(), options.intervalMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
