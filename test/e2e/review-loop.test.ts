import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openReviewService, type ReviewService } from '../../src/review/service.ts';
import { run } from '../../src/cli/main.ts';
import { startHarness, type Harness } from './harness.ts';

// A term list that blocks "kill": a sysadmin asking how to kill a process is a false positive.
const policy = {
  name: 'review-loop',
  scanners: [{ id: 'violence-terms', scanner: 'text/term-list', action: 'block' as const, config: { terms: ['kill', 'attack'] } }],
};
const prompt = 'How do I kill a hung python process on Linux?';
const other = 'How do I attack this maths problem?';

async function ask(client: OpenAI, content: string): Promise<{ status: number; eventId: string | null }> {
  try {
    const { response } = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content }] }).withResponse();
    return { status: response.status, eventId: response.headers.get('x-bulwark-event-id') };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    const details = (error.error as { details?: { eventId?: string } } | undefined)?.details;
    return { status: error.status ?? 0, eventId: details?.eventId ?? null };
  }
}

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return run(args, { stdout: (text) => void (out += text), stderr: (text) => void (err += text), readStdin: async () => '', env: {} }).then((code) => ({ code, out, err }));
}

describe('review loop (acceptance): a false positive becomes a tenant allow entry', () => {
  let h: Harness;
  let service: ReviewService;
  let tenantClient: OpenAI;
  let otherClient: OpenAI;

  before(async () => {
    h = await startHarness({ policy, review: { allowListRefreshMs: 0, includeDecisions: ['flag', 'block'] } });
    const keys = h.gateway.gateway.access!.keys;
    const client = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
    for (const [name, set] of [['tenant-t', (c: OpenAI) => (tenantClient = c)], ['tenant-u', (c: OpenAI) => (otherClient = c)]] as const) {
      const tenant = keys.createTenant(name);
      const project = keys.createProject(tenant.id, 'app');
      set(client(keys.createKey({ tenantId: tenant.id, projectId: project.id }).key));
    }
    service = openReviewService(h.dataDir);
  });
  after(async () => {
    service.close();
    await h.close();
  });

  it('queues the blocked request, labels it false-positive and allow-lists it for tenant T only', async () => {
    const first = await ask(tenantClient, prompt);
    assert.equal(first.status, 400);
    h.gateway.gateway.review!.flush();
    const queued = service.list({ label: 'unlabelled' });
    assert.equal(queued.length, 1);
    const item = queued[0]!;
    assert.equal(item.decision, 'block');
    assert.equal(item.reason, 'decision');
    const finding = item.event.findings[0]!;
    assert.equal(finding.ruleId, 'term-list/term-0');
    assert.match(finding.matchFingerprint ?? '', /^mf1_[0-9a-f]{32}$/);
    // The stored event keeps neither the matched word nor its fingerprint input.
    assert.equal(JSON.stringify(item.event).includes('kill'), false);

    // One step through the CLI against the gateway's data directory: label false-positive + allow for the tenant.
    const labelled = await cli(['--data-dir', h.dataDir, 'review', 'label', item.id, 'false-positive', '--reviewer', 'alice', '--comment', 'process management, not violence']);
    assert.equal(labelled.code, 0, labelled.err);
    const allowed = await cli(['--data-dir', h.dataDir, 'review', 'allow', item.id, '--scope', 'tenant', '--reviewer', 'alice', '--json']);
    assert.equal(allowed.code, 0, allowed.err);
    const entry = JSON.parse(allowed.out.trim().split('\n')[0]!) as { scope: string; tenant: string; instance: string; ruleId: string; fingerprint: string };
    assert.deepEqual({ scope: entry.scope, tenant: entry.tenant, instance: entry.instance, ruleId: entry.ruleId, fingerprint: entry.fingerprint }, { scope: 'tenant', tenant: item.tenant, instance: 'violence-terms', ruleId: finding.ruleId, fingerprint: finding.matchFingerprint });
    const shown = await service.show(item.id);
    assert.equal(shown.item.label, 'false-positive');
    assert.equal(shown.item.reviewer, 'alice');
    assert.equal(shown.history.length, 1);

    // Tenant T now passes; the finding is still recorded, as log and allow-listed.
    const again = await ask(tenantClient, prompt);
    assert.equal(again.status, 200);
    await h.gateway.gateway.store.flush();
    const event = await h.gateway.gateway.store.get(again.eventId!);
    assert.equal(event?.decision, 'allow');
    assert.equal(event?.findings[0]?.action, 'log');
    assert.equal(event?.findings[0]?.allowListed, true);

    // Another tenant with the same request still blocks.
    assert.equal((await ask(otherClient, prompt)).status, 400);
    // Tenant T still blocks on another match (a different term): the entry covers this rule and matched text only.
    assert.equal((await ask(tenantClient, other)).status, 400);
  });

  it('exports labelled items as classification rows', async () => {
    h.gateway.gateway.review!.flush();
    const blocked = service.list({ label: 'unlabelled' });
    assert.ok(blocked.length >= 2);
    service.label(blocked[0]!.id, 'true-positive', 'bob', 'demo');
    const result = await service.exportDataset();
    assert.deepEqual(result.rows.map((row) => row.label).sort(), [0, 1]);
    for (const row of result.rows) assert.match(row.source, /^bulwark-review:/);

    // The same through the CLI: list, show, export.
    const listed = await cli(['--data-dir', h.dataDir, 'review', 'list', '--label', 'false-positive', '--json']);
    assert.equal(listed.code, 0, listed.err);
    assert.equal(listed.out.trim().split('\n').length, 1);
    const shown = await cli(['--data-dir', h.dataDir, 'review', 'show', blocked[0]!.id]);
    assert.match(shown.out, /label true-positive by bob/);
    const out = join(h.dataDir, 'review.jsonl');
    const exported = await cli(['--data-dir', h.dataDir, 'review', 'export', '--out', out]);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /wrote 2 row\(s\)/);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { label: number; category: string; text: string });
    assert.deepEqual(rows.map((row) => [row.label, row.category]), [[0, 'benign_hard'], [1, 'policy_rule']]);
    assert.ok(rows.every((row) => row.text.includes('[REDACTED]')), 'exported text is the redacted stored content');
    const bad = await cli(['--data-dir', h.dataDir, 'review', 'label', blocked[0]!.id, 'maybe', '--reviewer', 'bob']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /label: expected one of true-positive/);
  });
});
