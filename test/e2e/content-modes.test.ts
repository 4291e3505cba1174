/**
 * Per-tenant content storage through the gateway (ADR 0008, update 2026-11-26): a tenant storing
 * `full` content gets the original text sealed at rest, a `redacted` tenant the masked text, a
 * `none` tenant nothing; the chain verifies and carries the project and key id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ContentSealingStore } from '../../src/store/content-sealing-store.ts';
import type { GatewayEvent } from '../../src/store/types.ts';
import { startHarness, type Harness } from './harness.ts';

const policy = {
  name: 'content-modes',
  scanners: [{ id: 'codes', scanner: 'text/regex', phases: ['request' as const], action: 'redact' as const, timeoutMs: 1000, config: { patterns: [{ id: 'code', pattern: 'secret-[0-9]+' }], redactWith: '[CODE]' } }],
};

describe('content modes per tenant', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ policy });
  });
  after(() => h?.close());

  it('full is sealed and opens to the original text, redacted is masked, none keeps nothing; the chain verifies', async () => {
    const keys = h.gateway.gateway.access!.keys;
    const config = h.gateway.gateway.config;
    const callers: Record<string, { key: string; tenant: string; project: string; keyId: string }> = {};
    for (const mode of ['full', 'redacted', 'none'] as const) {
      const tenant = keys.createTenant(`tenant-${mode}`);
      const project = keys.createProject(tenant.id, 'app');
      const { key, record } = keys.createKey({ tenantId: tenant.id, projectId: project.id, name: mode });
      // Read per request, so setting it here applies at once.
      config.storage.tenants[tenant.id] = { content: mode };
      callers[mode] = { key, tenant: tenant.id, project: project.id, keyId: record.id };
    }
    for (const mode of ['full', 'redacted', 'none']) {
      const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: callers[mode]!.key, maxRetries: 0, timeout: 10_000 });
      await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: `say: my code is secret-${mode.length}42` }] });
    }
    const store = h.gateway.gateway.store as ContentSealingStore;
    await store.flush();
    const events = await store.list({ limit: 50 });
    const of = (mode: string): GatewayEvent => events.find((e) => e.tenant === callers[mode]!.tenant && e.route !== undefined && e.keyId === callers[mode]!.keyId)!;

    const full = of('full');
    assert.equal(full.contentMode, 'full');
    assert.ok(full.content?.sealed, 'stored sealed');
    assert.ok(!JSON.stringify(full).includes('secret-442'), 'no plaintext at rest');
    const opened = await store.revealContent(full);
    assert.match(opened!.request!, /my code is secret-442/);

    const redacted = of('redacted');
    assert.equal(redacted.contentMode, 'redacted');
    assert.match(redacted.content!.request!, /my code is \[REDACTED\]/);
    assert.ok(!JSON.stringify(redacted).includes('secret-842'));

    const none = of('none');
    assert.equal(none.contentMode, 'none');
    assert.equal(none.content, null);
    assert.equal(none.project, callers.none!.project);

    const verified = await store.verifyChain();
    assert.equal(verified.ok, true, JSON.stringify(verified.problems));

    // The admin API opens `full` content for roles with events:content (owner, auditor) in the event's tenant only.
    const admin = h.gateway.gateway.access!.admin!.store;
    const tokenFor = (role: 'owner' | 'auditor' | 'reviewer', tenant: string | null): string => admin.createToken(admin.createUser({ kind: 'token', subject: `${role}-${tenant ?? 'all'}`, role, tenantId: tenant }).id).token;
    const contentOf = async (token: string, id: string): Promise<{ status: number; body: { data?: { content: { request?: string } | null; contentMode: string }; error?: { code: string } } }> => {
      const reply = await fetch(`${h.gateway.url}/admin/v1/events/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
      return { status: reply.status, body: (await reply.json()) as never };
    };
    const ownerToken = tokenFor('owner', null);
    const owner = await contentOf(ownerToken, full.id);
    assert.equal(owner.status, 200);
    assert.match(owner.body.data!.content!.request!, /my code is secret-442/);
    assert.equal(owner.body.data!.contentMode, 'full');
    const auditor = await contentOf(tokenFor('auditor', callers.full!.tenant), full.id);
    assert.equal(auditor.status, 200);
    assert.match(auditor.body.data!.content!.request!, /secret-442/);
    const reviewer = await contentOf(tokenFor('reviewer', callers.full!.tenant), full.id);
    assert.equal(reviewer.status, 403, 'a reviewer reads events but not sealed content');
    const otherTenant = await contentOf(tokenFor('auditor', callers.redacted!.tenant), full.id);
    assert.equal(otherTenant.status, 404, "another tenant's event is not found");
    assert.equal((await contentOf(ownerToken, 'evt_missing')).body.error?.code, 'BULWARK_NOT_FOUND');
  });
});
