/**
 * Review items of `full` tenants get their text from the event store, opened by
 * ContentSealingStore.revealContent and masked like `redacted` content; shredded content is
 * reported as such; another tenant's content never appears. Real SQLite event store, real
 * review.db, real files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../config/load.ts';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { ContentSealingStore } from '../store/content-sealing-store.ts';
import { openSqliteContentStorage } from '../store/content-storage.ts';
import { sqlitePathFor } from '../store/open.ts';
import { runRetention } from '../store/retention.ts';
import { createSqliteEventStore } from '../store/sqlite-event-store.ts';
import type { GatewayEvent } from '../store/types.ts';
import { createLogger } from '../telemetry/logger.ts';
import { fingerprintKey, matchFingerprint } from './fingerprint.ts';
import { openSealedContentSource } from './sealed-content.ts';
import { ReviewStore } from './review-store.ts';
import { openReviewService, type ReviewService } from './service.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12);
const env = { BULWARK_MASTER_KEY: 'd'.repeat(64) };
const print = (text: string): string => matchFingerprint(fingerprintKey(loadMasterKeyring('/nonexistent', env).current.key), text);

/** A flagged request as the gateway records it for a `full` tenant: original text (sealed by the store), finding spans in the segment text. */
function flagged(id: string, tenant: string, time: number, value: string): GatewayEvent {
  const segment = `please store my card ${value} for later`;
  const start = segment.indexOf(value);
  return {
    id,
    requestId: `req-${id}`,
    time: new Date(time).toISOString(),
    route: '/v1/chat/completions',
    model: 'gpt-test',
    provider: 'p',
    policy: 'default',
    decision: 'flag',
    status: 200,
    findings: [{ instance: 'pii', scanner: 'data/pii', ruleId: 'pii/CREDIT_CARD', severity: 'high', score: 1, segmentId: 'm1', origin: 'user', span: [start, start + value.length], action: 'flag', message: 'card', matchFingerprint: print(value) }],
    scanners: [],
    inputTokens: null,
    outputTokens: null,
    upstreamLatencyMs: null,
    totalLatencyMs: 1,
    streamed: false,
    content: { request: `system: You are a travel agent.\nuser: ${segment}`, response: 'assistant: Sorry, I cannot store cards.' },
    contentMode: 'full',
    tenant,
  };
}

describe('review items of full-content tenants', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-review-full-'));
  const config = defaultConfig({});
  const cards = { fresh: '4111 1111 1111 1111', old: '5500 0000 0000 0004', other: '3400 0000 0000 009', destroyed: '6011 0000 0000 0004' };
  let service: ReviewService;
  const items: Record<string, string> = {};

  before(async () => {
    const clock = { now: T0 };
    const path = sqlitePathFor(dir);
    const keyring = loadMasterKeyring(dir, env);
    const store = new ContentSealingStore({ inner: createSqliteEventStore({ path, logger: createLogger({ level: 'silent' }), flushIntervalMs: 5 }), storage: openSqliteContentStorage(path), keyring: () => keyring, keyPeriod: 'day', logger: createLogger({ level: 'silent' }), now: () => clock.now });
    const events = {
      old: flagged('evt_old', 'ten_a', T0, cards.old),
      fresh: flagged('evt_fresh', 'ten_a', T0 + 10 * DAY, cards.fresh),
      other: flagged('evt_other', 'ten_b', T0 + 10 * DAY, cards.other),
      destroyed: flagged('evt_destroyed', 'ten_c', T0 + 10 * DAY, cards.destroyed),
    };
    store.append(events.old);
    await store.flush();
    clock.now = T0 + 10 * DAY;
    for (const event of [events.fresh, events.other, events.destroyed]) store.append(event);
    await store.flush();
    // Retention (ten_a keeps 3 days): clears evt_old's content and destroys its day's key.
    const report = await runRetention({ storage: store.contentStorage, config: { retention: config.storage.retention, tenants: { ten_a: { retentionDays: 3 } } }, policy: 'default', actor: 'test', dryRun: false, now: clock.now });
    assert.deepEqual(report.tenants.map((t) => [t.tenant, t.contentCleared, t.keysDestroyed.length]), [['ten_a', 1, 1]]);
    // ten_c's key destroyed while its content is still in the row (as retention does to keys; e.g. a row restored from a backup).
    const [cKey] = await store.contentStorage.listKeys('ten_c');
    await store.contentStorage.destroyKeys([cKey!.keyId], new Date(clock.now).toISOString());
    await store.close();

    // The gateway queues full events without content (src/proxy/gateway.ts).
    const review = ReviewStore.open(dir);
    for (const [name, event] of Object.entries(events)) {
      items[name] = review.enqueue({ ...event, content: null }, 'decision')!;
      review.label(items[name]!, name === 'other' ? 'false-positive' : 'true-positive', 'alice', '');
    }
    review.close();
    service = openReviewService(dir, { content: () => openSealedContentSource({ config, dataDir: dir, env }) });
  });
  after(() => {
    service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a full item masked: context kept, the finding [REDACTED]', async () => {
    const shown = await service.show(items.fresh!);
    assert.deepEqual(shown.text, {
      available: true,
      from: 'opened',
      request: 'system: You are a travel agent.\nuser: please store my card [REDACTED] for later',
      response: 'assistant: Sorry, I cannot store cards.',
    });
    assert.equal(JSON.stringify(shown).includes(cards.fresh), false);
  });

  it('says so when retention shredded the content, without crashing', async () => {
    const cleared = await service.show(items.old!);
    assert.equal(cleared.text.available, false);
    assert.equal(!cleared.text.available && cleared.text.reason, 'shredded');
    const destroyed = await service.show(items.destroyed!);
    assert.equal(!destroyed.text.available && destroyed.text.reason, 'shredded');
    assert.match(!destroyed.text.available ? destroyed.text.detail : '', /destroyed/);
    assert.equal(JSON.stringify([cleared, destroyed]).includes('0000 0004'), false);
  });

  it('exports full items with context and [REDACTED], counts shredded ones, and never mixes tenants', async () => {
    const out = join(dir, 'export.jsonl');
    const result = await service.exportDataset({}, out);
    assert.deepEqual(result.skipped, { noContent: 0, shredded: 2, unreadable: 0, needsPolicyChange: 0, noFinding: 0 });
    const written = readFileSync(out, 'utf8');
    for (const card of Object.values(cards)) assert.equal(written.includes(card), false, `${card} not exported`);
    const rows = written.trim().split('\n').map((line) => JSON.parse(line) as { text: string; label: number; category: string; source: string });
    assert.deepEqual(rows.map((row) => [row.source, row.label, row.category]), [
      ['bulwark-review:ten_a', 1, 'pii'],
      ['bulwark-review:ten_b', 0, 'benign_hard'],
    ]);
    assert.equal(rows[0]!.text, 'system: You are a travel agent.\nuser: please store my card [REDACTED] for later');
    // One tenant's export holds only that tenant's rows.
    const onlyA = await service.exportDataset({ tenant: 'ten_a' });
    assert.deepEqual(onlyA.rows.map((row) => row.source), ['bulwark-review:ten_a']);
  });

  it('without an event store to open from, a full item has no text and says why', async () => {
    const bare = openReviewService(dir);
    try {
      const shown = await bare.show(items.fresh!);
      assert.equal(!shown.text.available && shown.text.reason, 'unreadable');
      const result = await bare.exportDataset({ tenant: 'ten_a' });
      assert.equal(result.rows.length, 0);
      assert.equal(result.skipped.unreadable, 2);
    } finally {
      bare.close();
    }
  });

  it('never opens another tenant\'s event for an item', async () => {
    // An item that names tenant ten_a but points at ten_b's event (a forged or corrupted row).
    const db = ReviewStore.open(dir);
    db.db.prepare("UPDATE review_items SET tenant = 'ten_a' WHERE id = ?").run(items.other);
    db.close();
    const shown = await service.show(items.other!);
    assert.equal(!shown.text.available && shown.text.reason, 'unreadable');
    assert.match(!shown.text.available ? shown.text.detail : '', /does not belong to tenant ten_a/);
  });
});
