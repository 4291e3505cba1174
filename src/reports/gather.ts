/**
 * Reads what a report needs for one period: the events (from the configured store, read-only for
 * SQLite), the review items (review.db), and the audit chain verification of the period's partitions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadAuditVerifyKey } from '../audit/signing-key.ts';
import { verifyChain, type VerifyResult } from '../audit/verify.ts';
import { expandPacks, loadPack } from '../config/packs.ts';
import type { Config } from '../config/schema.ts';
import { REVIEW_DB_FILE } from '../review/review-store.ts';
import { openReviewService } from '../review/service.ts';
import type { ReviewItem } from '../review/types.ts';
import { openChainSource, openEventStore, sqlitePathFor } from '../store/open.ts';
import { EventReader, MAX_LIST_LIMIT } from '../store/sqlite-reader.ts';
import type { GatewayEvent } from '../store/types.ts';
import { collectReport, type ReportData } from './collect.ts';
import type { Framework } from './frameworks.ts';

export interface GatherOptions {
  config: Config;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  framework: Framework;
  /** ISO times; `to` is exclusive. */
  from: string;
  to: string;
  /** Who asked (shown in the metadata), e.g. the OS user. */
  by: string;
  now?: () => Date;
}

const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';

/** Validates an ISO period; errors name the flag. */
export function parsePeriod(from: string | undefined, to: string | undefined): { from: string; to: string } {
  const parse = (name: string, value: string | undefined): string => {
    if (value === undefined || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new Error(`--${name}: expected an ISO date or time such as 2026-01-01 or 2026-01-01T00:00:00Z, got ${JSON.stringify(value)}`);
    return new Date(Date.parse(value)).toISOString();
  };
  const period = { from: parse('from', from), to: parse('to', to) };
  if (Date.parse(period.to) <= Date.parse(period.from)) throw new Error(`--to (${period.to}) must be after --from (${period.from})`);
  return period;
}

/** Events in [from, to), newest first; `truncated` when the period held more than one read returns. */
async function readEvents(options: GatherOptions): Promise<{ events: GatewayEvent[]; truncated: boolean; store: string }> {
  const { config, dataDir, from, to } = options;
  const keep = (events: GatewayEvent[]): { events: GatewayEvent[]; truncated: boolean } => ({ events: events.filter((event) => event.time < to), truncated: events.length >= MAX_LIST_LIMIT });
  if (config.storage.kind === 'sqlite') {
    const path = sqlitePathFor(dataDir);
    if (!existsSync(path)) return { events: [], truncated: false, store: `sqlite ${path} (no events yet)` };
    const reader = new EventReader(path);
    try {
      return { ...keep(reader.list({ since: from, limit: MAX_LIST_LIMIT })), store: `sqlite ${path}` };
    } finally {
      reader.close();
    }
  }
  const store = await openEventStore({ config, dataDir, logger: options.logger, env: options.env });
  try {
    return { ...keep(await store.list({ since: from, limit: MAX_LIST_LIMIT })), store: `postgres schema ${config.storage.postgres.schema}` };
  } finally {
    await store.close();
  }
}

async function verifyPartitions(options: GatherOptions, partitions: string[]): Promise<VerifyResult | { error: string }> {
  try {
    const verifyKey = loadAuditVerifyKey(options.dataDir, options.env);
    const opened = await openChainSource(options.config, options.dataDir, options.env);
    try {
      const results: VerifyResult[] = [];
      for (const partition of partitions) results.push(await verifyChain(opened.source, { verifyKey, partition }));
      return {
        ok: results.every((r) => r.ok),
        problems: results.flatMap((r) => r.problems),
        partitions: results.flatMap((r) => r.partitions),
        records: results.reduce((sum, r) => sum + r.records, 0),
        checkpoints: results.reduce((sum, r) => sum + r.checkpoints, 0),
        signaturesChecked: results.length > 0 && results.every((r) => r.signaturesChecked),
        contentCleared: results.reduce((sum, r) => sum + (r.contentCleared ?? 0), 0),
        elapsedMs: results.reduce((sum, r) => sum + r.elapsedMs, 0),
        recordsPerSecond: 0,
      };
    } finally {
      await opened.close();
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export async function gatherReport(options: GatherOptions): Promise<ReportData> {
  const policy = expandPacks(options.config.policy);
  const packs = options.config.policy.packs.map((name) => {
    const pack = loadPack(name);
    return { name: pack.name, version: pack.version, title: pack.title };
  });
  const { events, truncated, store } = await readEvents(options);
  let reviewItems: ReviewItem[] = [];
  if (existsSync(join(options.dataDir, REVIEW_DB_FILE))) {
    const review = openReviewService(options.dataDir);
    try {
      reviewItems = review.list({ from: options.from, to: options.to });
    } finally {
      review.close();
    }
  }
  const partitions = [...new Set(events.map((event) => event.tenant ?? 'default'))].sort();
  const chain = partitions.length === 0 ? { error: 'no events in the period' } : await verifyPartitions(options, partitions);
  return collectReport({
    framework: options.framework,
    from: options.from,
    to: options.to,
    policy,
    packs,
    events,
    reviewItems,
    chain,
    truncated,
    generated: { at: (options.now ?? (() => new Date()))().toISOString(), by: options.by, version: `bulwark ${VERSION}`, store },
  });
}
