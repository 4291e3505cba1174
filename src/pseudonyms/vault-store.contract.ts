/**
 * The behaviour every `VaultStore` must have, run against SQLite and PostgreSQL
 * (vault-store.test.ts, postgres-vault-store.test.ts). Stores are awaited whatever they return,
 * so one suite covers the synchronous and the asynchronous backend.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { MasterKeyring } from '../crypto/master-key.ts';
import { Pseudonymizer } from './pseudonymizer.ts';
import type { VaultEntry, VaultScope, VaultStore } from './vault-store.ts';

/** One backend under test: a fresh, empty vault per call, plus raw access for tampering checks. */
export interface VaultBackend {
  /** A new empty vault (its own file or schema); a second `open` of the same vault is `reopen`. */
  fresh(keyring: MasterKeyring): Promise<{ store: VaultStore; reopen(keyring: MasterKeyring): Promise<VaultStore>; dump(): Promise<string>; moveTenant(from: string, to: string): Promise<void> }>;
}

const silent = pino({ level: 'silent' });
const hour = 3_600_000;
const jane: VaultEntry = { placeholder: '<PERSON_1>', type: 'PERSON', value: 'Jane Doe' };

async function values(store: VaultStore, scope: VaultScope, now?: number): Promise<string[]> {
  return (await store.load(scope, now)).map((entry) => `${entry.placeholder}=${entry.value}`).sort();
}

export function runVaultStoreContract(name: string, backend: VaultBackend, keyring: MasterKeyring, otherKeyring: MasterKeyring): void {
  describe(`vault store contract (${name})`, () => {
    it('round-trips sealed values; the database holds no plaintext value or conversation id', async () => {
      const vault = await backend.fresh(keyring);
      const scope = { tenant: 'tenant-a', conversation: 'conversation-alpha-7' };
      try {
        await vault.store.save(scope, [jane, { placeholder: '<EMAIL_ADDRESS_1>', type: 'EMAIL_ADDRESS', value: 'jane.doe@example.com' }], Date.now() + hour);
        assert.deepEqual(await values(vault.store, scope), ['<EMAIL_ADDRESS_1>=jane.doe@example.com', '<PERSON_1>=Jane Doe']);
        const raw = await vault.dump();
        assert.ok(raw.includes('<PERSON_1>'), 'the dump reads the rows');
        for (const secret of ['Jane Doe', 'jane.doe@example.com', 'conversation-alpha']) assert.ok(!raw.includes(secret), `the database holds ${secret} in clear`);
      } finally {
        await vault.store.close();
      }
    });

    it('keeps tenants apart: the same conversation id under two tenants, and a row moved across tenants', async () => {
      const vault = await backend.fresh(keyring);
      const a = { tenant: 'tenant-a', conversation: 'shared-id' };
      const b = { tenant: 'tenant-b', conversation: 'shared-id' };
      try {
        await vault.store.save(a, [jane], Date.now() + hour);
        await vault.store.save(b, [{ placeholder: '<PERSON_1>', type: 'PERSON', value: 'Erika Musterfrau' }], Date.now() + hour);
        assert.deepEqual(await values(vault.store, a), ['<PERSON_1>=Jane Doe']);
        assert.deepEqual(await values(vault.store, b), ['<PERSON_1>=Erika Musterfrau']);
        assert.deepEqual(await values(vault.store, { tenant: 'tenant-c', conversation: 'shared-id' }), []);
        assert.deepEqual(await values(vault.store, { tenant: 'tenant-a', conversation: 'other-id' }), []);
        // An attacker with database access relabels tenant-a's rows as tenant-c: they still do not open for tenant-c.
        await vault.moveTenant('tenant-a', 'tenant-c');
        assert.deepEqual(await values(vault.store, { tenant: 'tenant-c', conversation: 'shared-id' }), [], 'the conversation digest is bound to the tenant');
        assert.deepEqual(await values(vault.store, a), [], 'tenant-a no longer owns the rows');
      } finally {
        await vault.store.close();
      }
    });

    it('never maps one value to two placeholders or one placeholder to two values (first writer wins)', async () => {
      const vault = await backend.fresh(keyring);
      const scope = { tenant: 't', conversation: 'c' };
      try {
        await vault.store.save(scope, [jane], Date.now() + hour);
        await vault.store.save(scope, [{ placeholder: '<PERSON_2>', type: 'PERSON', value: 'Jane Doe' }, { placeholder: '<PERSON_1>', type: 'PERSON', value: 'John Roe' }, { placeholder: '<PERSON_3>', type: 'PERSON', value: 'Max Mustermann' }], Date.now() + hour);
        assert.deepEqual(await values(vault.store, scope), ['<PERSON_1>=Jane Doe', '<PERSON_3>=Max Mustermann']);
      } finally {
        await vault.store.close();
      }
    });

    it('two instances inserting at once keep one mapping that both then read', async () => {
      const vault = await backend.fresh(keyring);
      const second = await vault.reopen(keyring);
      const scope = { tenant: 't', conversation: 'race' };
      try {
        for (let round = 0; round < 10; round++) {
          const conversation = { ...scope, conversation: `race-${round}` };
          // Same value, same placeholder (both saw the same state) and same value under different placeholders.
          await Promise.all([
            vault.store.save(conversation, [jane, { placeholder: '<EMAIL_ADDRESS_1>', type: 'EMAIL_ADDRESS', value: 'a@example.com' }], Date.now() + hour),
            second.save(conversation, [jane, { placeholder: '<EMAIL_ADDRESS_2>', type: 'EMAIL_ADDRESS', value: 'a@example.com' }, { placeholder: '<EMAIL_ADDRESS_1>', type: 'EMAIL_ADDRESS', value: 'b@example.com' }], Date.now() + hour),
          ]);
          const seenByFirst = await values(vault.store, conversation);
          assert.deepEqual(await values(second, conversation), seenByFirst, 'both instances read the same mapping');
          assert.equal(seenByFirst.filter((entry) => entry.startsWith('<PERSON_1>=')).length, 1);
          const emails = seenByFirst.filter((entry) => entry.startsWith('<EMAIL_ADDRESS'));
          assert.equal(new Set(emails.map((entry) => entry.split('=')[0])).size, emails.length, 'one value per placeholder');
          assert.equal(emails.filter((entry) => entry.endsWith('=a@example.com')).length, 1, 'one placeholder per value');
        }
      } finally {
        await second.close();
        await vault.store.close();
      }
    });

    it('expires rows after their TTL, extends a conversation on save, and purges', async () => {
      const vault = await backend.fresh(keyring);
      const scope = { tenant: 't', conversation: 'ttl' };
      const start = Date.now();
      try {
        await vault.store.save(scope, [jane], start + 60_000);
        assert.deepEqual(await values(vault.store, scope, start + 120_000), []);
        // A later save extends the conversation's older rows too.
        await vault.store.save(scope, [{ placeholder: '<PERSON_2>', type: 'PERSON', value: 'John Roe' }], start + 3 * 60_000);
        assert.deepEqual(await values(vault.store, scope, start + 120_000), ['<PERSON_1>=Jane Doe', '<PERSON_2>=John Roe']);
        const loaded = await vault.store.load(scope);
        assert.ok(loaded.every((entry) => entry.expiresAt === start + 3 * 60_000), 'loaded entries carry their expiry');
        await vault.store.save({ tenant: 't', conversation: 'other' }, [jane], start + hour);
        assert.equal(await vault.store.purgeExpired(start + 4 * 60_000), 2);
        assert.deepEqual(await values(vault.store, scope, start), []);
        assert.deepEqual(await values(vault.store, { tenant: 't', conversation: 'other' }), ['<PERSON_1>=Jane Doe']);
      } finally {
        await vault.store.close();
      }
    });

    it('an instance with another master key sees nothing, and opens nothing', async () => {
      const vault = await backend.fresh(keyring);
      const stranger = await vault.reopen(otherKeyring);
      const scope = { tenant: 't', conversation: 'keys' };
      try {
        await vault.store.save(scope, [jane], Date.now() + hour);
        assert.deepEqual(await values(stranger, scope), []);
      } finally {
        await stranger.close();
        await vault.store.close();
      }
    });

    it('the pseudonymizer keeps numbering across turns and across instances of one conversation only', async () => {
      const vault = await backend.fresh(keyring);
      const a = new Pseudonymizer(vault.store, { ttlSeconds: 3600 }, silent);
      const b = new Pseudonymizer(await vault.reopen(keyring), { ttlSeconds: 3600 }, silent);
      try {
        const first = await a.begin('t', 'conv');
        assert.equal(first.allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
        await first.commit();
        const second = await b.begin('t', 'conv');
        assert.equal(second.restorations.get('<PERSON_1>'), 'Jane Doe', 'instance B reads what A stored');
        assert.equal(second.allocator.placeholderFor('PERSON', 'John Roe', true), '<PERSON_2>');
        assert.equal(second.allocator.placeholderFor('PERSON', 'Jane Doe', true), '<PERSON_1>');
        await second.commit();
        const third = await a.begin('t', 'conv');
        assert.deepEqual([...third.restorations].sort(), [['<PERSON_1>', 'Jane Doe'], ['<PERSON_2>', 'John Roe']]);
        const otherTenant = await b.begin('u', 'conv');
        assert.equal(otherTenant.restorations.size, 0, 'another tenant with the same conversation id starts empty');
        const ephemeral = await a.begin('t', null);
        assert.equal(ephemeral.allocator.placeholderFor('PERSON', 'Max Mustermann', true), '<PERSON_1>');
        await ephemeral.commit();
        assert.equal((await b.begin('t', 'conv')).restorations.size, 2, 'a request without a conversation id stores nothing');
      } finally {
        await b.close();
        await a.close();
      }
    });
  });
}
