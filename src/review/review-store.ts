import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { GatewayEvent } from '../store/types.ts';
import { migrateReviewDb } from './migrations.ts';
import type { AllowEntry, ItemQuery, ReviewItem, ReviewLabel } from './types.ts';

export const REVIEW_DB_FILE = 'review.db';

/** Most items one `listItems` call returns. */
export const MAX_ITEMS = 100_000;

interface ItemRow {
  id: string;
  event_id: string;
  time: string;
  tenant: string;
  policy: string;
  decision: string;
  reason: string;
  event_json: string;
  label: string | null;
  comment: string | null;
  reviewer: string | null;
  labelled_at: string | null;
}

interface AllowRow {
  id: string;
  scope: string;
  tenant: string | null;
  policy: string | null;
  instance: string;
  rule_id: string;
  fingerprint: string;
  item_id: string | null;
  created_by: string;
  created_at: string;
  comment: string;
}

/** The review queue, labels and allow-list in `<dataDir>/review.db` (synchronous better-sqlite3, WAL). */
export class ReviewStore {
  readonly db: Db;
  #insertItem: Statement | undefined;

  constructor(readonly path: string) {
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      migrateReviewDb(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  static open(dataDir: string): ReviewStore {
    mkdirSync(dataDir, { recursive: true });
    return new ReviewStore(join(dataDir, REVIEW_DB_FILE));
  }

  /** Queues an event; a second enqueue of the same event is ignored. Returns the item id, or null when already queued. */
  enqueue(event: GatewayEvent, reason: ReviewItem['reason']): string | null {
    const id = `rv_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    this.#insertItem ??= this.db.prepare('INSERT OR IGNORE INTO review_items (id, event_id, time, time_ms, tenant, policy, decision, reason, event_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const result = this.#insertItem.run(id, event.id, event.time, Date.parse(event.time), event.tenant ?? 'default', event.policy, event.decision, reason, JSON.stringify(event));
    return result.changes === 1 ? id : null;
  }

  /** Queues several events in one transaction (the gateway batches: one commit per batch, not per event). */
  enqueueMany(batch: readonly { event: GatewayEvent; reason: ReviewItem['reason'] }[]): void {
    this.db.transaction(() => {
      for (const { event, reason } of batch) this.enqueue(event, reason);
    })();
  }

  getItem(idOrEventId: string): ReviewItem | null {
    const row = this.db.prepare('SELECT * FROM review_items WHERE id = ? OR event_id = ?').get(idOrEventId, idOrEventId) as ItemRow | undefined;
    return row ? toItem(row) : null;
  }

  /** Newest first. */
  listItems(query: ItemQuery = {}): ReviewItem[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.label === 'unlabelled') where.push('label IS NULL');
    else if (query.label !== undefined) {
      where.push('label = ?');
      params.push(query.label);
    }
    if (query.tenant !== undefined) {
      where.push('tenant = ?');
      params.push(query.tenant);
    }
    if (query.from !== undefined) {
      where.push('time_ms >= ?');
      params.push(Date.parse(query.from));
    }
    if (query.to !== undefined) {
      where.push('time_ms < ?');
      params.push(Date.parse(query.to));
    }
    params.push(Math.min(MAX_ITEMS, query.limit ?? MAX_ITEMS));
    const sql = `SELECT * FROM review_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time_ms DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params) as ItemRow[]).map(toItem);
  }

  /** Sets an item's label (the history keeps every label given). */
  label(itemId: string, label: ReviewLabel, reviewer: string, comment: string, time = new Date().toISOString()): void {
    this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE review_items SET label = ?, comment = ?, reviewer = ?, labelled_at = ? WHERE id = ?').run(label, comment, reviewer, time, itemId).changes;
      if (changed !== 1) throw new Error(`no review item ${itemId}`);
      this.db.prepare('INSERT INTO review_labels (item_id, label, comment, reviewer, time) VALUES (?, ?, ?, ?, ?)').run(itemId, label, comment, reviewer, time);
    })();
  }

  labelHistory(itemId: string): { label: ReviewLabel; comment: string; reviewer: string; time: string }[] {
    return this.db.prepare('SELECT label, comment, reviewer, time FROM review_labels WHERE item_id = ? ORDER BY seq').all(itemId) as { label: ReviewLabel; comment: string; reviewer: string; time: string }[];
  }

  /** Adds an allow entry; an identical entry already present is returned instead. */
  addAllow(entry: Omit<AllowEntry, 'id' | 'createdAt'> & { createdAt?: string }): AllowEntry {
    const id = `al_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const createdAt = entry.createdAt ?? new Date().toISOString();
    this.db
      .prepare('INSERT OR IGNORE INTO allow_entries (id, scope, tenant, policy, instance, rule_id, fingerprint, item_id, created_by, created_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, entry.scope, entry.tenant ?? null, entry.policy ?? null, entry.instance, entry.ruleId, entry.fingerprint, entry.itemId ?? null, entry.createdBy, createdAt, entry.comment);
    const row = this.db
      .prepare("SELECT * FROM allow_entries WHERE scope = ? AND ifnull(tenant, '') = ? AND ifnull(policy, '') = ? AND instance = ? AND rule_id = ? AND fingerprint = ?")
      .get(entry.scope, entry.tenant ?? '', entry.policy ?? '', entry.instance, entry.ruleId, entry.fingerprint) as AllowRow;
    return toAllow(row);
  }

  listAllow(): AllowEntry[] {
    return (this.db.prepare('SELECT * FROM allow_entries ORDER BY created_at, id').all() as AllowRow[]).map(toAllow);
  }

  removeAllow(id: string): boolean {
    return this.db.prepare('DELETE FROM allow_entries WHERE id = ?').run(id).changes === 1;
  }

  /** Changes whenever another connection commits (PRAGMA data_version): a cheap "anything new?" check. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toItem(row: ItemRow): ReviewItem {
  return {
    id: row.id,
    eventId: row.event_id,
    time: row.time,
    tenant: row.tenant,
    policy: row.policy,
    decision: row.decision as ReviewItem['decision'],
    reason: row.reason as ReviewItem['reason'],
    event: JSON.parse(row.event_json) as GatewayEvent,
    label: row.label as ReviewLabel | null,
    comment: row.comment,
    reviewer: row.reviewer,
    labelledAt: row.labelled_at,
  };
}

function toAllow(row: AllowRow): AllowEntry {
  return {
    id: row.id,
    scope: row.scope as AllowEntry['scope'],
    ...(row.tenant !== null ? { tenant: row.tenant } : {}),
    ...(row.policy !== null ? { policy: row.policy } : {}),
    instance: row.instance,
    ruleId: row.rule_id,
    fingerprint: row.fingerprint,
    ...(row.item_id !== null ? { itemId: row.item_id } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at,
    comment: row.comment,
  };
}
