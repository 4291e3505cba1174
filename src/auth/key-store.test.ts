import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatch, hashKey, modelAllowed, parseDuration, parseKey, sameHash } from './key-format.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';

function storeWithClock(start = Date.parse('2026-01-01T00:00:00Z'), cacheTtlMs = 0) {
  const clock = { now: start };
  const store = createSqliteKeyStore({ path: ':memory:', cacheTtlMs, now: () => clock.now });
  const tenant = store.createTenant('acme');
  const project = store.createProject(tenant.id, 'chatbot');
  return { store, clock, tenant, project };
}

describe('key format', () => {
  it('makes bwk_<8>_<secret> keys whose prefix parses back', () => {
    const { store, tenant, project } = storeWithClock();
    const { key, record } = store.createKey({ tenantId: tenant.id, projectId: project.id });
    assert.match(key, /^bwk_[A-Za-z0-9]{8}_[A-Za-z0-9]{43}$/);
    assert.equal(parseKey(key)?.prefix, record.prefix);
    assert.equal(parseKey('bwk_short_x'), null);
    assert.equal(parseKey(`${key} `), null);
  });

  it('compares hashes in constant time and rejects malformed digests', () => {
    const hash = hashKey('bwk_abcdefgh_0123456789012345678901234567890123');
    assert.equal(sameHash(hash, hash), true);
    assert.equal(sameHash(hash, hashKey('other')), false);
    assert.equal(sameHash(hash, 'abc'), false);
  });

  it('matches model globs without regular expressions', () => {
    assert.equal(globMatch('gpt-*', 'gpt-4o'), true);
    assert.equal(globMatch('gpt-*', 'claude-3'), false);
    assert.equal(globMatch('*-mini', 'gpt-4o-mini'), true);
    assert.equal(globMatch('a*b*c', 'axxbyyc'), true);
    assert.equal(globMatch('a*b*c', 'axxbyy'), false);
    assert.equal(modelAllowed([], 'anything'), true);
    assert.equal(modelAllowed(['claude-*', 'gpt-4o'], 'gpt-4o-mini'), false);
    // A pathological pattern stays fast (no backtracking engine).
    const started = performance.now();
    assert.equal(globMatch(`${'*a'.repeat(30)}b`, 'a'.repeat(5000)), false);
    assert.ok(performance.now() - started < 2000);
  });

  it('parses durations and names the expected form', () => {
    assert.equal(parseDuration('30d'), 30 * 86_400_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('250'), 250);
    assert.throws(() => parseDuration('soon', '--expires-in'), /--expires-in: expected a number followed by s, m, h or d/);
  });
});

describe('key lifecycle (SQLite control store)', () => {
  it('stores only the hash and verifies the key to its principal', () => {
    const { store, tenant, project } = storeWithClock();
    assert.equal(store.hasKeys(), false);
    const { key, record } = store.createKey({ tenantId: tenant.id, projectId: project.id, name: 'ci', models: ['gpt-*'] });
    assert.equal(store.hasKeys(), true);
    const listed = store.listKeys();
    assert.equal(listed.length, 1);
    assert.equal(JSON.stringify(listed).includes(key.split('_')[2]!), false, 'listing never carries the secret');
    assert.equal('hash' in listed[0]!, false, 'listing never carries the hash');
    const verified = store.verify(key);
    assert.equal(verified.ok, true);
    if (verified.ok) assert.deepEqual({ ...verified.principal }, { tenant: tenant.id, project: project.id, keyId: record.id, scopes: ['inference', 'scan'], models: ['gpt-*'], providers: [], projectModels: [], projectProviders: [], projectScopes: [] });
    store.setProjectAllowLists(project.id, { models: ['gpt-4o*'], providers: ['openai'] });
    const narrowed = store.verify(key);
    assert.ok(narrowed.ok && narrowed.principal.projectModels.join() === 'gpt-4o*' && narrowed.principal.projectProviders.join() === 'openai', 'the project lists reach the principal at once in this process');
  });

  it('refuses a wrong secret under a real prefix, an unknown prefix and garbage as invalid', () => {
    const { store, tenant, project } = storeWithClock();
    const { key } = store.createKey({ tenantId: tenant.id, projectId: project.id });
    const wrongSecret = `${key.slice(0, 13)}${'A'.repeat(43)}`;
    assert.deepEqual(store.verify(wrongSecret), { ok: false, reason: 'invalid' });
    assert.deepEqual(store.verify(`bwk_ZZZZZZZZ_${'A'.repeat(43)}`), { ok: false, reason: 'invalid' });
    assert.deepEqual(store.verify('sk-not-ours'), { ok: false, reason: 'invalid' });
  });

  it('expires keys at their expiry time', () => {
    const { store, clock, tenant, project } = storeWithClock();
    const { key } = store.createKey({ tenantId: tenant.id, projectId: project.id, expiresAt: new Date(clock.now + 60_000).toISOString() });
    assert.equal(store.verify(key).ok, true);
    clock.now += 60_000;
    assert.deepEqual(store.verify(key), { ok: false, reason: 'expired' });
  });

  it('revokes keys at once in this process', () => {
    const { store, tenant, project } = storeWithClock(Date.now(), 60_000);
    const { key, record } = store.createKey({ tenantId: tenant.id, projectId: project.id });
    assert.equal(store.verify(key).ok, true);
    store.revokeKey(record.id);
    assert.deepEqual(store.verify(key), { ok: false, reason: 'revoked' });
    assert.ok(store.getKey(record.id)?.revokedAt);
    assert.throws(() => store.rotateKey(record.id, 0), /is revoked/);
  });

  it('rotates with an overlap window: both keys work until it closes, then the old one is rotated out', () => {
    const { store, clock, tenant, project } = storeWithClock();
    const old = store.createKey({ tenantId: tenant.id, projectId: project.id, name: 'svc', models: ['gpt-*'] });
    const next = store.rotateKey(old.record.id, 3_600_000);
    assert.notEqual(next.key, old.key);
    assert.deepEqual(next.record.models, ['gpt-*']);
    assert.equal(next.record.name, 'svc');
    assert.equal(store.getKey(old.record.id)?.rotatedTo, next.record.id);
    assert.equal(store.verify(old.key).ok, true);
    assert.equal(store.verify(next.key).ok, true);
    clock.now += 3_600_000;
    assert.deepEqual(store.verify(old.key), { ok: false, reason: 'rotated' });
    assert.equal(store.verify(next.key).ok, true);
    assert.throws(() => store.rotateKey(old.record.id, 0), /already rotated/);
  });

  it('sees another connection\'s revocation within the cache TTL', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-keys-'));
    try {
      const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
      const a = createSqliteKeyStore({ path: join(dir, 'control.db'), cacheTtlMs: 5000, now: () => clock.now });
      const b = createSqliteKeyStore({ path: join(dir, 'control.db'), cacheTtlMs: 5000, now: () => clock.now });
      const tenant = a.createTenant('t1');
      const project = a.createProject(tenant.id, 'p1');
      const { key, record } = a.createKey({ tenantId: tenant.id, projectId: project.id });
      assert.equal(b.verify(key).ok, true);
      a.revokeKey(record.id);
      assert.equal(b.verify(key).ok, true, 'b still trusts its cached copy inside the TTL');
      clock.now += 5000;
      assert.deepEqual(b.verify(key), { ok: false, reason: 'revoked' });
      a.close();
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates names and resolves tenants and projects by id or name', () => {
    const { store, tenant, project } = storeWithClock();
    assert.throws(() => store.createTenant('bad name!'), /tenant name: expected/);
    assert.throws(() => store.createTenant('acme'), /already exists/);
    assert.equal(store.findTenant('acme')?.id, tenant.id);
    assert.equal(store.findProject('chatbot', tenant.id)?.id, project.id);
    assert.throws(() => store.createKey({ tenantId: tenant.id, projectId: 'prj_missing' }), /does not exist/);
  });

  it('stores limit overrides per scope', () => {
    const { store, tenant } = storeWithClock();
    assert.equal(store.limitOverride('tenant', tenant.id), null);
    store.setLimitOverride('tenant', tenant.id, { requestsPerMinute: 10, tokensPerMinute: null, concurrent: 2 });
    assert.deepEqual(store.limitOverride('tenant', tenant.id), { requestsPerMinute: 10, tokensPerMinute: null, concurrent: 2 });
  });
});
