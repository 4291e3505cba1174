/**
 * The review loop for a tenant storing `full` content (ADR 0016, update 2026-11-26): through the
 * gateway and the CLI, a flagged request's review item shows and exports the opened content in the
 * redacted form, exactly what a `redacted` tenant's item holds for the same request; once
 * retention destroyed its data key the item says it was shredded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { run } from '../../src/cli/main.ts';
import type { ContentSealingStore } from '../../src/store/content-sealing-store.ts';
import { startHarness, type Harness } from './harness.ts';

const policy = {
  name: 'review-full',
  scanners: [{ id: 'codes', scanner: 'text/regex', phases: ['request' as const], action: 'flag' as const, timeoutMs: 1000, config: { patterns: [{ id: 'code', pattern: 'secret-[0-9]+' }] } }],
};
const prompt = (mode: string): string => `please check access code secret-${mode.length}77 for the door`;

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return run(args, { stdout: (text) => void (out += text), stderr: (text) => void (err += text), readStdin: async () => '', env: {} }).then((code) => ({ code, out, err }));
}

describe('review loop for a full-content tenant', () => {
  let h: Harness;
  const tenants: Record<string, string> = {};
  const events: Record<string, string> = {};

  before(async () => {
    h = await startHarness({ policy });
    const keys = h.gateway.gateway.access!.keys;
    for (const mode of ['full', 'redacted'] as const) {
      const tenant = keys.createTenant(`tenant-${mode}`);
      const project = keys.createProject(tenant.id, 'app');
      h.gateway.gateway.config.storage.tenants[tenant.id] = { content: mode };
      tenants[mode] = tenant.id;
      const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: keys.createKey({ tenantId: tenant.id, projectId: project.id }).key, maxRetries: 0, timeout: 10_000 });
      const { response } = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: prompt(mode) }] }).withResponse();
      events[mode] = response.headers.get('x-bulwark-event-id')!;
    }
    await h.gateway.gateway.store.flush();
    h.gateway.gateway.review!.flush();
    for (const mode of ['full', 'redacted']) {
      const labelled = await cli(['--data-dir', h.dataDir, 'review', 'label', events[mode]!, 'true-positive', '--reviewer', 'alice']);
      assert.equal(labelled.code, 0, labelled.err);
    }
  });
  after(() => h?.close());

  it('shows and exports the full tenant\'s item opened and masked like the redacted tenant\'s', async () => {
    const shown = await cli(['--data-dir', h.dataDir, 'review', 'show', events.full!]);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /request \(full content, opened and masked\): user: please check access code \[REDACTED\] for the door/);
    assert.equal(shown.out.includes('secret-477'), false);

    const out = join(h.dataDir, 'full.jsonl');
    const exported = await cli(['--data-dir', h.dataDir, 'review', 'export', '--out', out]);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /wrote 2 row\(s\)/);
    const written = readFileSync(out, 'utf8');
    assert.equal(written.includes('secret-'), false, 'no matched value exported');
    const rows = written.trim().split('\n').map((line) => JSON.parse(line) as { text: string; source: string });
    const textOf = (mode: string): string => rows.find((row) => row.source === `bulwark-review:${tenants[mode]}`)!.text;
    assert.equal(textOf('full'), 'user: please check access code [REDACTED] for the door');
    assert.equal(textOf('full'), textOf('redacted'), 'the same redaction as a redacted tenant gets');
  });

  it('reports the item as shredded once retention destroyed its data key', async () => {
    const storage = (h.gateway.gateway.store as ContentSealingStore).contentStorage;
    const keyIds = (await storage.listKeys(tenants.full)).map((key) => key.keyId);
    assert.equal(keyIds.length, 1);
    await storage.destroyKeys(keyIds, new Date().toISOString());

    const shown = await cli(['--data-dir', h.dataDir, 'review', 'show', events.full!]);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /text: none \(shredded\): retention destroyed the data key/);
    const json = await cli(['--data-dir', h.dataDir, 'review', 'show', events.full!, '--json']);
    assert.equal((JSON.parse(json.out) as { text: { reason: string } }).text.reason, 'shredded');

    const out = join(h.dataDir, 'shredded.jsonl');
    const exported = await cli(['--data-dir', h.dataDir, 'review', 'export', '--out', out]);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /wrote 1 row\(s\).*1 shredded by retention/);
    assert.equal(readFileSync(out, 'utf8').includes(`bulwark-review:${tenants.full}`), false);
  });
});
