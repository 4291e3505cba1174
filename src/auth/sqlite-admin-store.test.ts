import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { hashKey } from './key-format.ts';
import { createSqliteAdminStore } from './sqlite-admin-store.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-admin-store-'));
const path = join(dir, 'control.db');
let clock = Date.parse('2026-01-01T00:00:00Z');
const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'b'.repeat(64) });
const keys = createSqliteKeyStore({ path, cacheTtlMs: 0 });
const store = createSqliteAdminStore({ path, keyring: () => keyring, now: () => clock });
const tenant = keys.createTenant('acme');

describe('admin store (control.db)', () => {
  after(() => {
    store.close();
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('users: owners may be platform-wide, other roles need an existing tenant; subjects are unique per kind', () => {
    assert.equal(store.createUser({ kind: 'token', subject: 'root', role: 'owner', tenantId: null }).tenantId, null);
    assert.throws(() => store.createUser({ kind: 'token', subject: 'ops', role: 'admin', tenantId: null }), /tenant: the admin role needs a tenant/);
    assert.throws(() => store.createUser({ kind: 'token', subject: 'ops', role: 'admin', tenantId: 'ten_missing' }), /does not exist/);
    assert.throws(() => store.createUser({ kind: 'token', subject: 'root', role: 'owner', tenantId: null }), /already exists/);
    assert.equal(store.createUser({ kind: 'oidc', subject: 'root', role: 'auditor', tenantId: tenant.id }).kind, 'oidc');
  });

  it('tokens: bwa_ text shown once, only a SHA-256 stored; verify, expire, revoke, disable', () => {
    const user = store.createUser({ kind: 'token', subject: 'ci', role: 'auditor', tenantId: tenant.id });
    const { token, record } = store.createToken(user.id, { expiresAt: new Date(clock + 60_000).toISOString() });
    assert.match(token, /^bwa_[A-Za-z0-9]{8}_[A-Za-z0-9]{43}$/);
    const raw = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`).toString('latin1');
    assert.equal(raw.includes(token.slice(13)), false, 'secret not on disk');
    const db = new BetterSqlite3(path, { readonly: true });
    assert.equal((db.prepare('SELECT hash FROM admin_tokens WHERE id = ?').get(record.id) as { hash: string }).hash, hashKey(token));
    db.close();
    const checked = store.verifyToken(token);
    assert.ok(checked.ok && checked.user.role === 'auditor' && checked.user.tenantId === tenant.id);
    assert.deepEqual(store.verifyToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), { ok: false, reason: 'invalid' });
    assert.deepEqual(store.verifyToken('bwk_abcdefgh_' + 'x'.repeat(43)), { ok: false, reason: 'invalid' }, 'API keys are not admin tokens');
    clock += 61_000;
    assert.deepEqual(store.verifyToken(token), { ok: false, reason: 'expired' });
    const second = store.createToken(user.id);
    store.revokeToken(second.record.id);
    assert.deepEqual(store.verifyToken(second.token), { ok: false, reason: 'revoked' });
    const third = store.createToken(user.id);
    store.disableUser(user.id);
    assert.deepEqual(store.verifyToken(third.token), { ok: false, reason: 'revoked' });
    assert.throws(() => store.createToken(user.id), /is disabled/);
    const oidc = store.findUser('oidc', 'root')!;
    assert.throws(() => store.createToken(oidc.id), /signs in with OIDC/);
  });

  it('credentials: sealed with the master keyring and bound to tenant and id; fingerprints are keyed and stable', () => {
    const created = store.createCredential({ tenantId: tenant.id, provider: 'openai', name: 'main', secret: 'sk-live-abc123' });
    assert.equal(JSON.stringify(created).includes('sk-live'), false);
    assert.equal(store.openCredential(created.id), 'sk-live-abc123');
    const other = store.createCredential({ tenantId: tenant.id, provider: 'openai', name: 'copy', secret: 'sk-live-abc123' });
    assert.equal(other.fingerprint, created.fingerprint, 'same secret, same fingerprint');
    assert.throws(() => store.createCredential({ tenantId: tenant.id, provider: 'openai', name: 'main', secret: 'x' }), /already exists/);
    const db = new BetterSqlite3(path);
    const sealed = (db.prepare('SELECT sealed FROM provider_credentials WHERE id = ?').get(created.id) as { sealed: string }).sealed;
    assert.equal(sealed.includes('sk-live'), false);
    // A ciphertext moved to another row does not open there.
    db.prepare('UPDATE provider_credentials SET sealed = ? WHERE id = ?').run(sealed, other.id);
    db.close();
    assert.throws(() => store.openCredential(other.id));
    const rotated = store.rotateCredential(created.id, 'sk-live-new');
    assert.notEqual(rotated.fingerprint, created.fingerprint);
    assert.ok(rotated.rotatedAt);
    assert.equal(store.deleteCredential(created.id), true);
    assert.equal(store.getCredential(created.id), null);
  });

  it('policy documents: one per tenant and per project, replaced on put', () => {
    const project = keys.createProject(tenant.id, 'app');
    store.putPolicy({ tenantId: tenant.id, projectId: null, policy: { name: 'a' }, updatedBy: 'adm_1' });
    store.putPolicy({ tenantId: tenant.id, projectId: null, policy: { name: 'b' }, updatedBy: 'adm_2' });
    store.putPolicy({ tenantId: tenant.id, projectId: project.id, policy: { name: 'p' }, updatedBy: 'adm_1' });
    const listed = store.listPolicies(tenant.id);
    assert.deepEqual(listed.map((doc) => [doc.projectId, doc.policy.name, doc.updatedBy]), [[null, 'b', 'adm_2'], [project.id, 'p', 'adm_1']]);
  });
});
