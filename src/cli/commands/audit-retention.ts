import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { resolveDataDir } from '../../main.ts';
import { openEventStore } from '../../store/open.ts';
import { runRetention } from '../../store/retention.ts';
import type { RetentionReport } from '../../store/retention.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { configFor } from '../load-config.ts';
import { exitCodes, type CliIo } from '../io.ts';

export interface AuditRetentionOptions {
  dryRun?: boolean;
  apply?: boolean;
  json?: boolean;
  config?: string;
  dataDir?: string;
}

/**
 * `bulwark audit retention --dry-run|--apply`: clears content past each tenant's retention and
 * destroys its expired data keys (src/store/retention.ts). --apply appends one admin event per
 * tenant acted on to its audit chain. Exit 0 done, 2 usage or config error.
 */
export async function auditRetentionCommand(options: AuditRetentionOptions, io: CliIo): Promise<number> {
  if (Boolean(options.dryRun) === Boolean(options.apply)) throw new Error('audit retention: give exactly one of --dry-run or --apply');
  const config = configFor(options.config, io.env);
  const dataDir = resolveDataDir(options.dataDir, io.env);
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => io.stderr(line) } });
  const store = await openEventStore({ config, dataDir, logger, env: io.env });
  let report: RetentionReport;
  try {
    report = await runRetention({ storage: store.contentStorage, store, config: config.storage, policy: config.policy.name, actor: `cli (${safeUser()})`, dryRun: Boolean(options.dryRun) });
  } finally {
    await store.close();
  }
  if (options.json) {
    io.stdout(`${JSON.stringify(report)}\n`);
    return exitCodes.ok;
  }
  const verb = report.dryRun ? 'would clear' : 'cleared';
  if (report.tenants.length === 0) io.stdout('no tenant has a content retention (storage.retention.days, storage.tenants.<id>.retentionDays)\n');
  for (const t of report.tenants) {
    const keys = t.keysDestroyed.map((k) => `${k.keyId} (${k.period})`).join(', ') || 'none';
    io.stdout(`tenant ${t.tenant}: retention ${t.retentionDays} d, cutoff ${t.cutoff}: ${verb} content of ${t.contentCleared} events; ${report.dryRun ? 'would destroy' : 'destroyed'} keys: ${keys}${t.legacyKept > 0 ? `; ${t.legacyKept} format-1 events keep their content (it is part of their hash)` : ''}\n`);
  }
  return exitCodes.ok;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function registerAuditRetention(audit: Command, context: { io: CliIo; dataDir: () => string | undefined; done: (code: number) => void }): void {
  audit
    .command('retention')
    .description("clear event content past each tenant's retention and destroy its expired content data keys (crypto-shredding); the audit chain still verifies")
    .option('--dry-run', 'only report what would be cleared and destroyed')
    .option('--apply', 'clear and destroy, and record it in each tenant\'s audit chain')
    .option('--json', 'print exactly one JSON object')
    .option('-c, --config <file>', 'YAML config file (default: $BULWARK_CONFIG, else environment defaults)')
    .action(async (options: AuditRetentionOptions) => {
      const dataDir = context.dataDir();
      context.done(await auditRetentionCommand({ ...options, ...(dataDir !== undefined ? { dataDir } : {}) }, context.io));
    });
}
