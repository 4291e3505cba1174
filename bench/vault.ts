/**
 * What the pseudonym vault adds to a request: one turn = begin (load the conversation) + allocate
 * two new values + commit (save), for the embedded SQLite vault and, when reachable, the PostgreSQL
 * one (BULWARK_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test; a throwaway schema,
 * dropped at the end). Prints p50/p99 per turn in microseconds.
 *
 *   npm run bench:vault [-- --turns 2000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadMasterKeyring } from '../src/crypto/master-key.ts';
import { openPostgresVaultStore } from '../src/pseudonyms/postgres-vault-store.ts';
import { Pseudonymizer } from '../src/pseudonyms/pseudonymizer.ts';
import { createSqliteVaultStore, type VaultStore } from '../src/pseudonyms/vault-store.ts';

const turnsArg = process.argv.indexOf('--turns');
const turns = turnsArg > 0 ? Number(process.argv[turnsArg + 1]) : 2000;
const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: randomBytes(32).toString('hex') });
const url = process.env.BULWARK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measure(store: VaultStore): Promise<{ p50: number; p99: number }> {
  const pseudonymizer = new Pseudonymizer(store, { ttlSeconds: 3600 }, pino({ level: 'silent' }));
  const samples: number[] = [];
  // 100 conversations of turns/100 turns each: every turn loads what the earlier ones stored.
  for (let i = 0; i < turns; i++) {
    const started = performance.now();
    const begun = pseudonymizer.begin('tenant', `conv-${i % 100}`);
    const session = begun instanceof Promise ? await begun : begun;
    session.allocator.placeholderFor('PERSON', `Person ${i}`, true);
    session.allocator.placeholderFor('EMAIL_ADDRESS', `p${i}@example.com`, true);
    const committed = session.commit();
    if (committed) await committed;
    samples.push((performance.now() - started) * 1000);
  }
  await pseudonymizer.close();
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

const rows: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-vault-'));
try {
  const sqlite = await measure(createSqliteVaultStore(join(dir, 'vault.db'), keyring));
  rows.push(`sqlite     ${sqlite.p50.toFixed(0).padStart(8)} ${sqlite.p99.toFixed(0).padStart(8)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const schema = `bulwark_bench_vault_${randomBytes(4).toString('hex')}`;
let store: VaultStore | null = null;
try {
  store = await openPostgresVaultStore({ connectionString: url, schema, keyring, poolSize: 2 });
} catch (error) {
  rows.push(`postgres   skipped: ${(error as Error).message}`);
}
if (store) {
  try {
    const postgres = await measure(store);
    rows.push(`postgres   ${postgres.p50.toFixed(0).padStart(8)} ${postgres.p99.toFixed(0).padStart(8)}`);
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
console.log(`pseudonym vault: ${turns} turns (load + 2 new values + save), 100 conversations`);
console.log('store       p50 µs   p99 µs');
for (const row of rows) console.log(row);
