import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable, skipOrFail } from '../../../test/support/services.ts';
import { defaultConfig, loadConfigFile } from '../../config/load.ts';
import { sampleEvent } from '../../store/event-store.contract.ts';
import { openEventStore } from '../../store/open.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { run } from '../main.ts';
import type { CliIo } from '../io.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-audit-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '', env, out: () => out, err: () => err };
}

/** A data directory whose SQLite store holds `n` events (default partition) and 5 of tenant acme. */
async function filledDataDir(n: number): Promise<string> {
  const dataDir = mkdtempSync(join(root, 'data-'));
  const store = await openEventStore({ config: defaultConfig({}), dataDir, logger: quiet, env: {} });
  for (let i = 0; i < n; i++) store.append(sampleEvent());
  for (let i = 0; i < 5; i++) store.append(sampleEvent({ tenant: 'acme' }));
  await store.close();
  return dataDir;
}

describe('bulwark audit verify (sqlite)', () => {
  test('exit 0 on an intact chain; prints records checked and the rate', async () => {
    const dataDir = await filledDataDir(40);
    const cli = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify'], cli), 0, cli.err());
    assert.match(cli.out(), /audit chain ok: 45 records and \d+ checkpoints checked in 2 partition\(s\) of sqlite .*records\/s/);
    assert.equal(cli.err(), '');
    const json = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', '--json', '--partition', 'default', '--from', '11', '--to', '20'], json), 0);
    const parsed = JSON.parse(json.out()) as { ok: boolean; records: number; signaturesChecked: boolean };
    assert.equal(parsed.ok, true);
    assert.equal(parsed.records, 10);
    assert.equal(parsed.signaturesChecked, true);
  });

  test('exit 1 with partition, position and kind when a record was edited', async () => {
    const dataDir = await filledDataDir(30);
    const db = new Database(join(dataDir, 'events.db'));
    db.prepare("UPDATE events SET decision = 'block' WHERE partition = 'default' AND seq = 7").run();
    db.close();
    const cli = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify'], cli), 1);
    assert.match(cli.out(), /PROBLEM partition default position 7 kind edited/);
    const json = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', '--json'], json), 1);
    assert.deepEqual((JSON.parse(json.out()) as { problems: { partition: string; position: number; kind: string }[] }).problems.map((p) => [p.partition, p.position, p.kind]), [['default', 7, 'edited']]);
  });

  test('exit 2 on bad usage or a missing store', async () => {
    const dataDir = await filledDataDir(1);
    for (const args of [['--from', 'abc'], ['--from', '5', '--to', '2'], ['--to', '0']]) {
      const cli = io();
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', ...args], cli), 2, args.join(' '));
      assert.match(cli.err(), /--(from|to)/);
    }
    const missing = io();
    assert.equal(await run(['--data-dir', join(root, 'nothing-here'), 'audit', 'verify'], missing), 2);
    assert.match(missing.err(), /no event database/);
  });

  test('warns when there is no public key to check signatures with', async () => {
    const dataDir = await filledDataDir(3);
    rmSync(join(dataDir, 'audit-signing-key.pub.pem'));
    const cli = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify'], cli), 0);
    assert.match(cli.err(), /signatures were not checked/);
  });
});

describe('bulwark audit verify (postgres)', async () => {
  const service = await servicesAvailable('postgres');
  test('verifies the configured PostgreSQL store; exit 1 after a deletion', async (t) => {
    if (!service.ok) return skipOrFail(t, service.reason);
    const schema = `bulwark_test_${randomBytes(4).toString('hex')}`;
    const dataDir = mkdtempSync(join(root, 'pg-'));
    const configFile = join(dataDir, 'bulwark.yaml');
    writeFileSync(configFile, `storage:\n  kind: postgres\n  postgres:\n    url: { env: TEST_PG_URL }\n    schema: ${schema}\n`);
    const env = { TEST_PG_URL: POSTGRES_TEST_URL };
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      const store = await openEventStore({ config: loadConfigFile(configFile, env), dataDir, logger: quiet, env });
      for (let i = 0; i < 25; i++) store.append(sampleEvent());
      await store.close();
      const ok = io(env);
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', '-c', configFile], ok), 0, ok.err());
      assert.match(ok.out(), new RegExp(`audit chain ok: 25 records .* of postgres schema ${schema}`));
      await client.query(`DELETE FROM ${schema}.events WHERE seq = 9`);
      const bad = io(env);
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', '-c', configFile], bad), 1);
      assert.match(bad.out(), /PROBLEM partition default position 9 kind missing/);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
