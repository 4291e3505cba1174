import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { ConversationPlaceholders } from './conversation-placeholders.ts';
import { Pseudonymizer } from './pseudonymizer.ts';
import { placeholderSafeEnd, restorePlaceholders } from './restore.ts';
import { createSqliteVaultStore } from './vault-store.ts';
import { runVaultStoreContract } from './vault-store.contract.ts';

const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'ab'.repeat(32) });
const otherKeyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'cd'.repeat(32) });
const silent = pino({ level: 'silent' });

function tempVault() {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-vault-'));
  return { dir, path: join(dir, 'vault.db') };
}

describe('conversation placeholders', () => {
  it('numbers per type, reuses a placeholder for the same value, and restores only reversible ones', () => {
    const allocator = new ConversationPlaceholders([]);
    assert.equal(allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
    assert.equal(allocator.placeholderFor('EMAIL', 'jane@example.com', true), '<EMAIL_1>');
    assert.equal(allocator.placeholderFor('PERSON', 'John Roe'), '<PERSON_2>');
    assert.equal(allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
    assert.deepEqual([...allocator.restorations.keys()], ['<PERSON_1>', '<EMAIL_1>']);
    assert.equal(allocator.added.length, 2);
  });

  it('continues a conversation where it left off', () => {
    const allocator = new ConversationPlaceholders([{ placeholder: '<PERSON_3>', type: 'PERSON', value: 'Jane Doe' }]);
    assert.equal(allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_3>');
    assert.equal(allocator.placeholderFor('PERSON', 'Max Mustermann', true), '<PERSON_4>');
    assert.equal(allocator.added.length, 1);
  });
});

describe('restoring placeholders', () => {
  const restorations = new Map([['<PERSON_1>', 'Jane "JD" Doe'], ['<EMAIL_1>', 'jane@example.com']]);
  it('replaces known placeholders and leaves unknown ones', () => {
    assert.equal(restorePlaceholders('Dear <PERSON_1>, mail <EMAIL_1> or <PHONE_1>.', restorations), 'Dear Jane "JD" Doe, mail jane@example.com or <PHONE_1>.');
  });
  it('escapes values inside JSON strings', () => {
    const args = restorePlaceholders('{"to":"<PERSON_1>"}', restorations, true);
    assert.deepEqual(JSON.parse(args), { to: 'Jane "JD" Doe' });
  });
  it('never releases half a placeholder', () => {
    assert.equal(placeholderSafeEnd('Hello <PERS', 11), 6);
    assert.equal(placeholderSafeEnd('Hello <PERSON_1', 15), 6);
    assert.equal(placeholderSafeEnd('Hello <PERSON_1>', 16), 16);
    assert.equal(placeholderSafeEnd('a < b and more', 14), 14);
    assert.equal(placeholderSafeEnd('x <', 3), 2);
  });
});

describe('vault store', () => {
  it('persists sealed values, keeps tenants apart and expires rows', () => {
    const { dir, path } = tempVault();
    const store = createSqliteVaultStore(path, keyring);
    const a = { tenant: 'tenant-a', conversation: 'conversation-alpha-7' };
    const b = { tenant: 'tenant-b', conversation: 'conversation-alpha-7' };
    store.save(a, [{ placeholder: '<PERSON_1>', type: 'PERSON', value: 'Jane Doe' }], Date.now() + 60_000);
    store.save(b, [{ placeholder: '<PERSON_1>', type: 'PERSON', value: 'Erika Musterfrau' }], Date.now() + 60_000);
    assert.deepEqual(store.load(a).map((entry) => entry.value), ['Jane Doe']);
    assert.deepEqual(store.load(b).map((entry) => entry.value), ['Erika Musterfrau']);
    assert.deepEqual(store.load({ tenant: 'tenant-a', conversation: 'conversation-beta-9' }), []);
    store.close();
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      assert.ok(!bytes.includes('Jane Doe') && !bytes.includes('Musterfrau') && !bytes.includes('conversation-alpha'), `${file} holds plaintext`);
    }
    const reopened = createSqliteVaultStore(path, keyring);
    assert.deepEqual(reopened.load(a).map((entry) => entry.value), ['Jane Doe']);
    assert.deepEqual(reopened.load(a, Date.now() + 120_000), []);
    assert.equal(reopened.purgeExpired(Date.now() + 120_000), 2);
    reopened.close();
  });

  it('a row copied to another tenant does not decrypt', () => {
    const { path } = tempVault();
    const store = createSqliteVaultStore(path, keyring);
    store.save({ tenant: 'a', conversation: 'x' }, [{ placeholder: '<EMAIL_1>', type: 'EMAIL', value: 'a@example.com' }], Date.now() + 60_000);
    store.close();
    // Simulate an attacker with database access moving a row to another tenant.
    const raw = new Database(path);
    raw.prepare("UPDATE vault_entries SET tenant = 'b'").run();
    const conversation = (raw.prepare('SELECT conversation FROM vault_entries').get() as { conversation: string }).conversation;
    raw.close();
    const reopened = createSqliteVaultStore(path, keyring);
    assert.deepEqual(reopened.load({ tenant: 'b', conversation: 'x' }), [], 'conversation digest is tenant-bound');
    assert.ok(typeof conversation === 'string');
    reopened.close();
  });

  it('sessions share numbering across turns of one conversation only, synchronously', () => {
    const { path } = tempVault();
    const pseudonymizer = new Pseudonymizer(createSqliteVaultStore(path, keyring), { ttlSeconds: 3600 }, silent);
    const first = pseudonymizer.begin('t', 'conv');
    assert.ok(!(first instanceof Promise), 'the embedded vault never makes the request wait a tick');
    assert.equal(first.allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
    assert.equal(first.commit(), undefined);
    const second = pseudonymizer.begin('t', 'conv');
    assert.ok(!(second instanceof Promise));
    assert.equal(second.allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
    assert.equal(second.restorations.get('<PERSON_1>'), 'Jane Doe');
    pseudonymizer.close();
  });

  it('a conversation used within its TTL is extended even when nothing new is stored', () => {
    const { path } = tempVault();
    const store = createSqliteVaultStore(path, keyring);
    const scope = { tenant: 't', conversation: 'long' };
    // Stored long ago: less than half of the one-hour TTL is left.
    store.save(scope, [{ placeholder: '<PERSON_1>', type: 'PERSON', value: 'Jane Doe' }], Date.now() + 20 * 60_000);
    const pseudonymizer = new Pseudonymizer(store, { ttlSeconds: 3600 }, silent);
    const session = pseudonymizer.begin('t', 'long');
    assert.ok(!(session instanceof Promise));
    assert.equal(session.allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
    session.commit();
    const expiry = store.load(scope)[0]!.expiresAt!;
    assert.ok(expiry > Date.now() + 55 * 60_000, `expiry extended to a full TTL (${expiry - Date.now()} ms left)`);
    pseudonymizer.close();
  });
});

runVaultStoreContract('sqlite', {
  async fresh(ring) {
    const { path } = tempVault();
    return {
      store: createSqliteVaultStore(path, ring),
      reopen: async (other) => createSqliteVaultStore(path, other),
      async dump() {
        const raw = new Database(path, { readonly: true });
        try {
          return JSON.stringify(raw.prepare('SELECT * FROM vault_entries').all());
        } finally {
          raw.close();
        }
      },
      async moveTenant(from, to) {
        const raw = new Database(path);
        raw.prepare('UPDATE vault_entries SET tenant = ? WHERE tenant = ?').run(to, from);
        raw.close();
      },
    };
  },
}, keyring, otherKeyring);
