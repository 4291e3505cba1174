import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../../test/support/services.ts';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { createPostgresEventStore } from '../store/postgres-event-store.ts';
import { createLogger } from '../telemetry/logger.ts';
import { openPostgresVaultStore, VAULT_PG_MIGRATIONS } from './postgres-vault-store.ts';
import { runVaultStoreContract } from './vault-store.contract.ts';

const service = await servicesAvailable('postgres');
const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'ab'.repeat(32) });
const otherKeyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'cd'.repeat(32) });
// One schema per vault, all with this run's prefix, dropped at the end: parallel test files never collide.
const prefix = `bulwark_vault_test_${randomBytes(4).toString('hex')}`;
let schemas = 0;
const freshSchema = () => `${prefix}_${++schemas}`;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

after(async () => {
  if (!service.ok) return;
  for (let i = 1; i <= schemas; i++) await sql(`DROP SCHEMA IF EXISTS ${prefix}_${i} CASCADE`);
});

if (!service.ok) {
  test('PostgreSQL pseudonym vault', (t) => skipOrFail(t, service.reason));
} else {
  runVaultStoreContract('postgres', {
    async fresh(ring) {
      const schema = freshSchema();
      const open = (other: typeof ring) => openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring: other, poolSize: 2 });
      return {
        store: await open(ring),
        reopen: open,
        dump: async () => JSON.stringify(await sql(`SELECT * FROM ${schema}.vault_entries`)),
        moveTenant: async (from, to) => void (await sql(`UPDATE ${schema}.vault_entries SET tenant = $1 WHERE tenant = $2`, [to, from])),
      };
    },
  }, keyring, otherKeyring);

  describe('postgres vault', () => {
    test('concurrent opens migrate once, on their own track beside the event store', async () => {
      const schema = freshSchema();
      const events = await createPostgresEventStore({ connectionString: POSTGRES_TEST_URL, schema, logger: createLogger({ level: 'silent' }) });
      const vaults = await Promise.all([1, 2, 3].map(() => openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring, poolSize: 1 })));
      await Promise.all(vaults.map((vault) => vault.close()));
      await events.close();
      const rows = await sql(`SELECT version, name FROM ${schema}.vault_schema_migrations ORDER BY version`);
      assert.deepEqual(rows, VAULT_PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      const tables = await sql<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      for (const name of ['events', 'schema_migrations', 'vault_entries', 'vault_keyring']) assert.ok(tables.some((t) => t.table_name === name), `${name} exists`);
    });

    test('refuses a database whose vault schema is newer than this build', async () => {
      const schema = freshSchema();
      await (await openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring })).close();
      await sql(`INSERT INTO ${schema}.vault_schema_migrations (version, name) VALUES (99, 'from-the-future')`);
      await assert.rejects(openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring }), /pseudonym vault schema version 99 is newer/);
    });

    test('reports gateways that seal with a master key this one does not hold', async () => {
      const schema = freshSchema();
      const ours = await openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring });
      const theirs = await openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring: otherKeyring });
      try {
        assert.deepEqual(await ours.foreignKeys(Date.now() - 60_000), []);
        assert.deepEqual(await theirs.foreignKeys(Date.now() - 60_000), [keyring.current.id]);
        assert.deepEqual(await ours.foreignKeys(Date.now() - 60_000), [otherKeyring.current.id]);
      } finally {
        await ours.close();
        await theirs.close();
      }
    });

    test('many writers of one conversation at once neither deadlock nor break the one-to-one mapping', async () => {
      const schema = freshSchema();
      const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresVaultStore({ connectionString: POSTGRES_TEST_URL, schema, keyring, poolSize: 3 })));
      const scope = { tenant: 't', conversation: 'crowd' };
      const names = ['Ann', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay'];
      try {
        // Every writer numbers the same names in its own order: placeholders and values collide across both indexes.
        await Promise.all(stores.flatMap((store, s) => [0, 1, 2].map((k) => {
          const order = names.map((_, i) => names[(i + s + k) % names.length]!);
          return store.save(scope, order.map((value, i) => ({ placeholder: `<PERSON_${i + 1}>`, type: 'PERSON', value })), Date.now() + 60_000);
        })));
        const entries = await stores[0]!.load(scope);
        assert.equal(entries.length, names.length);
        assert.equal(new Set(entries.map((e) => e.placeholder)).size, names.length);
        assert.deepEqual(entries.map((e) => e.value).sort(), [...names].sort());
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });
}
