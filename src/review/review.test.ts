import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { GatewayEvent } from '../store/types.ts';
import { AllowList } from './allow-list.ts';
import { datasetCategories } from './export.ts';
import { familyOf } from './families.ts';
import { fingerprintKey, matchFingerprint } from './fingerprint.ts';
import { migrateReviewDb, REVIEW_SCHEMA_VERSION } from './migrations.ts';
import { queueReason } from './queue-rule.ts';
import { openReviewService, ReviewError } from './service.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-review-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const key = fingerprintKey(Buffer.alloc(32, 7));

function event(overrides: Partial<GatewayEvent> & { id: string }): GatewayEvent {
  return {
    requestId: `req-${overrides.id}`,
    time: '2026-03-01T10:00:00.000Z',
    route: '/v1/chat/completions',
    model: 'gpt-test',
    provider: 'p',
    policy: 'default',
    decision: 'block',
    status: 400,
    findings: [{ instance: 'pi', scanner: 'ai/prompt-injection', ruleId: 'prompt-injection/sig/instruction-override', severity: 'high', score: 0.9, segmentId: 'm0', origin: 'user', span: [0, 10], action: 'block', message: 'm', matchFingerprint: matchFingerprint(key, 'ignore all') }],
    scanners: [],
    inputTokens: null,
    outputTokens: null,
    upstreamLatencyMs: null,
    totalLatencyMs: 1,
    streamed: false,
    content: { request: 'user: [REDACTED] previous instructions' },
    tenant: 'acme',
    ...overrides,
  };
}

/** The classification row format of shared/data/README.md, checked field by field. */
function validateRow(line: string): string[] {
  const problems: string[] = [];
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return ['not an object'];
  const record = row as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join(',') !== 'category,label,source,text') problems.push(`keys ${keys.join(',')}`);
  if (typeof record.text !== 'string' || record.text.length === 0) problems.push('text: expected a non-empty string');
  if (record.label !== 0 && record.label !== 1) problems.push('label: expected 0 or 1');
  if (typeof record.category !== 'string' || !(datasetCategories as readonly string[]).includes(record.category)) problems.push(`category: ${String(record.category)}`);
  if (typeof record.source !== 'string' || !/^bulwark-review:[^\s]+$/.test(record.source)) problems.push(`source: ${String(record.source)}`);
  if (record.label === 0 && !['benign', 'benign_hard'].includes(String(record.category))) problems.push('label 0 with a non-benign category');
  return problems;
}

describe('match fingerprints', () => {
  it('are keyed, normalised and never contain the text', () => {
    const a = matchFingerprint(key, 'Ignore  ALL');
    assert.equal(a, matchFingerprint(key, 'ignore all'));
    assert.equal(a, matchFingerprint(key, 'ｉｇｎｏｒｅ all'));
    assert.notEqual(a, matchFingerprint(fingerprintKey(Buffer.alloc(32, 8)), 'ignore all'));
    assert.notEqual(a, matchFingerprint(key, 'ignore some'));
    assert.match(a, /^mf1_[0-9a-f]{32}$/);
  });
});

describe('queue rule', () => {
  const config = { includeDecisions: ['flag', 'block'] as ('flag' | 'block')[], sampleRate: 0.25 };
  it('queues included decisions and a sample of allowed events', () => {
    assert.equal(queueReason(event({ id: 'a', decision: 'flag' }), config, () => 0.99), 'decision');
    assert.equal(queueReason(event({ id: 'b', decision: 'allow' }), config, () => 0.1), 'sample');
    assert.equal(queueReason(event({ id: 'c', decision: 'allow' }), config, () => 0.3), null);
    assert.equal(queueReason(event({ id: 'd', decision: 'redact' }), config, () => 0), null);
    assert.equal(queueReason(event({ id: 'e', decision: 'allow' }), { ...config, sampleRate: 0 }, () => 0), null);
  });
});

describe('allow list', () => {
  it('matches by tenant or by policy, instance, rule and fingerprint', () => {
    const list = new AllowList([
      { id: '1', scope: 'tenant', tenant: 'acme', instance: 'pi', ruleId: 'r', fingerprint: 'f', createdBy: 'a', createdAt: '', comment: '' },
      { id: '2', scope: 'policy', policy: 'strict', instance: 'pii', ruleId: 'pii/EMAIL', fingerprint: 'g', createdBy: 'a', createdAt: '', comment: '' },
    ]);
    assert.equal(list.allows('acme', 'any', 'pi', 'r', 'f'), true);
    assert.equal(list.allows('other', 'any', 'pi', 'r', 'f'), false);
    assert.equal(list.allows('acme', 'any', 'pi', 'r', 'x'), false);
    assert.equal(list.allows('acme', 'any', 'pi2', 'r', 'f'), false);
    assert.equal(list.allows('anyone', 'strict', 'pii', 'pii/EMAIL', 'g'), true);
    assert.equal(list.allows('anyone', 'lenient', 'pii', 'pii/EMAIL', 'g'), false);
  });
});

describe('review store and service', () => {
  it('migrates once and refuses a newer schema', () => {
    const db = new Database(':memory:');
    migrateReviewDb(db);
    migrateReviewDb(db);
    assert.equal((db.prepare('SELECT count(*) AS n FROM review_migrations').get() as { n: number }).n, REVIEW_SCHEMA_VERSION);
    db.prepare('INSERT INTO review_migrations VALUES (999, ?)').run('x');
    assert.throws(() => migrateReviewDb(db), /newer than this Bulwark/);
    db.close();
  });

  it('labels, allow-lists a false positive in one step, and rejects bad input naming the field', async () => {
    const dir = tempDir();
    const service = openReviewService(dir);
    const { ReviewStore } = await import('./review-store.ts');
    const store = ReviewStore.open(dir);
    const id = store.enqueue(event({ id: 'evt_1' }), 'decision')!;
    assert.equal(store.enqueue(event({ id: 'evt_1' }), 'decision'), null);
    store.enqueue(event({ id: 'evt_2', findings: [] , decision: 'flag' }), 'decision');
    store.close();

    assert.throws(() => service.label(id, 'maybe', 'alice', ''), (error: unknown) => error instanceof ReviewError && /label: expected one of/.test(error.message));
    assert.throws(() => service.label(id, 'true-positive', 'al ice', ''), /reviewer: expected/);
    assert.throws(() => service.allow({ item: 'evt_2', scope: 'tenant', reviewer: 'alice' }), /no finding with a match fingerprint/);
    const entries = service.allow({ item: 'evt_1', scope: 'tenant', reviewer: 'alice', comment: 'quoted in a security training doc' });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.tenant, 'acme');
    assert.equal((await service.show(id)).item.label, 'false-positive');
    // Allowing twice keeps one entry.
    service.allow({ item: id, scope: 'tenant', reviewer: 'alice' });
    assert.equal(service.allowEntries().length, 1);
    assert.equal(service.removeAllow(entries[0]!.id), true);
    assert.equal(service.allowEntries().length, 0);
    service.label(id, 'true-positive', 'bob', 'on second look, an attack');
    assert.throws(() => service.allow({ item: id, scope: 'policy', reviewer: 'bob' }), /relabel it false-positive first/);
    assert.deepEqual((await service.show(id)).history.map((entry) => entry.label), ['false-positive', 'true-positive']);
    service.close();
  });

  it('exports labelled items as classification JSONL: every line valid, skips counted', async () => {
    const dir = tempDir();
    const { ReviewStore } = await import('./review-store.ts');
    const store = ReviewStore.open(dir);
    const tp = store.enqueue(event({ id: 'e1' }), 'decision')!;
    const fp = store.enqueue(event({ id: 'e2', tenant: 'globex', findings: [{ ...event({ id: 'x' }).findings[0]!, scanner: 'safety/toxicity', ruleId: 'toxicity/insult' }] }), 'decision')!;
    const npc = store.enqueue(event({ id: 'e3' }), 'decision')!;
    const none = store.enqueue(event({ id: 'e4', content: null }), 'decision')!;
    const harm = store.enqueue(event({ id: 'e5', findings: [{ ...event({ id: 'x' }).findings[0]!, scanner: 'safety/harmful', ruleId: 'harmful/weapons', origin: 'assistant' }], content: { request: 'user: hi', response: 'assistant: [REDACTED]' } }), 'decision')!;
    store.enqueue(event({ id: 'e6' }), 'decision');
    store.label(tp, 'true-positive', 'a', '');
    store.label(fp, 'false-positive', 'a', '');
    store.label(npc, 'needs-policy-change', 'a', '');
    store.label(none, 'true-positive', 'a', '');
    store.label(harm, 'true-positive', 'a', '');
    store.close();
    const service = openReviewService(dir);
    const out = join(dir, 'out.jsonl');
    const result = await service.exportDataset({}, out);
    service.close();
    assert.deepEqual(result.skipped, { noContent: 1, shredded: 0, unreadable: 0, needsPolicyChange: 1, noFinding: 0 });
    const lines = readFileSync(out, 'utf8').split('\n').filter((line) => line.length > 0);
    assert.equal(lines.length, 3);
    for (const line of lines) assert.deepEqual(validateRow(line), [], line);
    const rows = lines.map((line) => JSON.parse(line) as { text: string; label: number; category: string; source: string });
    assert.deepEqual(rows.map((row) => [row.label, row.category, row.source]), [
      [1, 'prompt_injection', 'bulwark-review:acme'],
      [0, 'benign_hard', 'bulwark-review:globex'],
      [1, 'harmful_request', 'bulwark-review:acme'],
    ]);
    assert.equal(rows[2]!.text, 'assistant: [REDACTED]');
    // The validator itself rejects what the format forbids.
    assert.notDeepEqual(validateRow('{"text":"x","label":2,"category":"toxic","source":"bulwark-review:a"}'), []);
    assert.notDeepEqual(validateRow('{"text":"x","label":0,"category":"toxic","source":"bulwark-review:a"}'), []);
    assert.notDeepEqual(validateRow('{"text":"x","label":1,"category":"toxic","source":"elsewhere"}'), []);
  });

  it('names scanner families', () => {
    assert.equal(familyOf('data/pii', 'pii/US_SSN'), 'pii');
    assert.equal(familyOf('ai/indirect-injection', 'x'), 'indirect_injection');
    assert.equal(familyOf('budget', 'budget/soft-limit'), 'budget');
  });
});
