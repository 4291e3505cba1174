import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { KeyStore, Project, Tenant } from '../../src/auth/types.ts';
import { startHarness, type Harness } from './harness.ts';

const chat = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hello' }] };

/** The OpenAI SDK's parsed error: status and our stable code. */
async function openaiError(client: OpenAI, model = 'gpt-test'): Promise<{ status: number | undefined; code: string | null | undefined; headers: Headers | undefined }> {
  try {
    await client.chat.completions.create({ ...chat, model });
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status, code: error.code, headers: error.headers };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('authentication and limits over HTTP (openai SDK)', () => {
  let h: Harness;
  let keys: KeyStore;
  let tenant: Tenant;
  let project: Project;
  const client = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });

  before(async () => {
    h = await startHarness({ policy: { name: 'auth-test', scanners: [] } });
    // The gateway's own store: a key created here applies at once (no cache wait).
    keys = h.gateway.gateway.access!.keys;
  });
  after(() => h?.close());

  it('serves a loopback caller without a key while no key exists', async () => {
    const answer = await client('anything').chat.completions.create(chat);
    assert.equal(answer.object, 'chat.completion');
  });

  it('once a key exists: no key is a 401 the SDK parses, with BULWARK_AUTH_MISSING; health stays open', async () => {
    tenant = keys.createTenant('tenant-a');
    project = keys.createProject(tenant.id, 'app');
    keys.createKey({ tenantId: tenant.id, projectId: project.id, name: 'first' });
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat) });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    const body = (await response.json()) as { error: { code: string; type: string } };
    assert.equal(body.error.code, 'BULWARK_AUTH_MISSING');
    assert.equal(body.error.type, 'authentication_error');
    const viaSdk = await openaiError(client('client-key'));
    assert.deepEqual([viaSdk.status, viaSdk.code], [401, 'BULWARK_AUTH_INVALID']);
    assert.equal((await fetch(`${h.gateway.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.gateway.url}/readyz`)).status, 200);
  });

  it('serves a valid key sent as Bearer (openai) and as x-api-key (anthropic), recording the principal', async () => {
    const { key, record } = keys.createKey({ tenantId: tenant.id, projectId: project.id, name: 'both-sdks' });
    const raw = await client(key).chat.completions.create(chat).withResponse();
    assert.equal(raw.data.object, 'chat.completion');
    const anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: key, maxRetries: 0, timeout: 10_000 });
    const message = await anthropic.messages.create({ model: 'claude-test', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(message.type, 'message');
    const eventId = raw.response.headers.get('x-bulwark-event-id')!;
    await h.gateway.gateway.store.flush();
    const event = await h.gateway.gateway.store.get(eventId);
    assert.equal(event?.tenant, tenant.id);
    assert.ok(record.id.startsWith('key_'));
  });

  it('refuses wrong, expired, revoked and rotated-out keys with their own codes', async () => {
    const good = keys.createKey({ tenantId: tenant.id, projectId: project.id });
    const wrong = `${good.key.slice(0, 13)}${'x'.repeat(43)}`;
    assert.deepEqual(Object.values(await openaiError(client(wrong))).slice(0, 2), [401, 'BULWARK_AUTH_INVALID']);
    const expired = keys.createKey({ tenantId: tenant.id, projectId: project.id, expiresAt: new Date(Date.now() - 1000).toISOString() });
    assert.deepEqual(Object.values(await openaiError(client(expired.key))).slice(0, 2), [401, 'BULWARK_AUTH_EXPIRED']);
    const revoked = keys.createKey({ tenantId: tenant.id, projectId: project.id });
    keys.revokeKey(revoked.record.id);
    assert.deepEqual(Object.values(await openaiError(client(revoked.key))).slice(0, 2), [401, 'BULWARK_AUTH_REVOKED']);
    const old = keys.createKey({ tenantId: tenant.id, projectId: project.id });
    const replacement = keys.rotateKey(old.record.id, 0);
    assert.deepEqual(Object.values(await openaiError(client(old.key))).slice(0, 2), [401, 'BULWARK_AUTH_ROTATED']);
    assert.equal((await client(replacement.key).chat.completions.create(chat)).object, 'chat.completion');
    const overlapping = keys.createKey({ tenantId: tenant.id, projectId: project.id });
    keys.rotateKey(overlapping.record.id, 60_000);
    assert.equal((await client(overlapping.key).chat.completions.create(chat)).object, 'chat.completion', 'the old key works inside the overlap');
  });

  it('enforces a key\'s model allow-list (403) and scopes', async () => {
    const other = keys.createTenant('tenant-b');
    const otherProject = keys.createProject(other.id, 'app');
    const restricted = keys.createKey({ tenantId: other.id, projectId: otherProject.id, models: ['gpt-*'] });
    assert.equal((await client(restricted.key).chat.completions.create(chat)).object, 'chat.completion');
    const refused = await openaiError(client(restricted.key), 'fallback-model');
    assert.deepEqual([refused.status, refused.code], [403, 'BULWARK_FORBIDDEN_MODEL']);
    const anthropic = new Anthropic({ baseURL: h.gateway.url, apiKey: restricted.key, maxRetries: 0 });
    await assert.rejects(anthropic.messages.create({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.PermissionDeniedError && error.status === 403);
    // The fallback-* route can reach backup-openai, which this key may not use.
    const oneProvider = keys.createKey({ tenantId: other.id, projectId: otherProject.id, providers: ['primary-openai'] });
    assert.equal((await client(oneProvider.key).chat.completions.create(chat)).object, 'chat.completion');
    const providerRefused = await openaiError(client(oneProvider.key), 'fallback-model');
    assert.deepEqual([providerRefused.status, providerRefused.code], [403, 'BULWARK_FORBIDDEN_PROVIDER']);
    const scanOnly = keys.createKey({ tenantId: other.id, projectId: otherProject.id, scopes: ['scan'] });
    const forbidden = await openaiError(client(scanOnly.key));
    assert.deepEqual([forbidden.status, forbidden.code], [403, 'BULWARK_FORBIDDEN_SCOPE']);
    const scan = await fetch(`${h.gateway.url}/v1/scan`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${scanOnly.key}` }, body: JSON.stringify({ input: 'hello' }) });
    assert.equal(scan.status, 200);
  });

  it('rate-limits a key: 429 with retry-after and BULWARK_RATE_LIMITED', async () => {
    const limited = keys.createKey({ tenantId: tenant.id, projectId: project.id, name: 'limited' });
    keys.setLimitOverride('key', limited.record.id, { requestsPerMinute: 2, tokensPerMinute: null, concurrent: null });
    const c = client(limited.key);
    await c.chat.completions.create(chat);
    await c.chat.completions.create(chat);
    const refused = await openaiError(c);
    assert.deepEqual([refused.status, refused.code], [429, 'BULWARK_RATE_LIMITED']);
    const retryAfter = Number(refused.headers?.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    // Another key of the same project is not affected (the limit is per key).
    const sibling = keys.createKey({ tenantId: tenant.id, projectId: project.id });
    assert.equal((await client(sibling.key).chat.completions.create(chat)).object, 'chat.completion');
  });
});

describe('limit store outage over HTTP', () => {
  for (const [onStoreError, status] of [['fail-closed', 503], ['local-fallback', 200]] as const) {
    it(`${onStoreError}: Redis unreachable answers ${status}`, async () => {
      // Port 1 on loopback refuses connections at once.
      const h = await startHarness({ policy: { name: 'outage', scanners: [] }, limits: { store: 'redis', redis: { url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 }, onStoreError, defaults: { tenant: { requestsPerMinute: 100 } } } });
      try {
        const keys = h.gateway.gateway.access!.keys;
        const tenant = keys.createTenant('t');
        const { key } = keys.createKey({ tenantId: tenant.id, projectId: keys.createProject(tenant.id, 'p').id });
        const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });
        if (status === 200) {
          assert.equal((await client.chat.completions.create(chat)).object, 'chat.completion');
        } else {
          const refused = await openaiError(client);
          assert.deepEqual([refused.status, refused.code, refused.headers?.get('retry-after')], [503, 'BULWARK_LIMITS_UNAVAILABLE', '1']);
        }
      } finally {
        await h.close();
      }
    });
  }
});
