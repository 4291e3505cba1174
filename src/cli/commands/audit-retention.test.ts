import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../../config/load.ts';
import { sampleEvent } from '../../store/event-store.contract.ts';
import { openEventStore } from '../../store/open.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { run } from '../main.ts';
import type { CliIo } from '../io.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-retention-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });
const env = { BULWARK_MASTER_KEY: 'd'.repeat(64) };

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '', env, out: () => out, err: () => err };
}

describe('bulwark audit retention (sqlite)', () => {
  test('--dry-run reports, --apply clears old content, records itself in the chain, and the chain still verifies', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    const configPath = join(root, 'bulwark.yaml');
    writeFileSync(configPath, 'version: 1\nstorage:\n  content: full\n  tenants:\n    ten_a: { retentionDays: 2 }\n');
    const config = loadConfigFile(configPath, env);
    const store = await openEventStore({ config, dataDir, logger: quiet, env });
    const old = new Date(Date.now() - 5 * 86_400_000).toISOString();
    for (let i = 0; i < 4; i++) store.append(sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: old, content: { request: `old secret ${i}` } }));
    store.append(sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: new Date().toISOString(), content: { request: 'recent' } }));
    store.append(sampleEvent({ tenant: 'ten_b', contentMode: 'full', time: old, content: { request: 'kept: no retention' } }));
    await store.close();

    const dry = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'retention', '--dry-run', '-c', configPath], dry), 0, dry.err());
    assert.match(dry.out(), /tenant ten_a: retention 2 d, cutoff .*: would clear content of 4 events/);
    assert.doesNotMatch(dry.out(), /ten_b/);
    const applied = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'retention', '--apply', '--json', '-c', configPath], applied), 0, applied.err());
    const report = JSON.parse(applied.out()) as { dryRun: boolean; tenants: { tenant: string; contentCleared: number }[] };
    assert.deepEqual(report.tenants.map((t) => [t.tenant, t.contentCleared]), [['ten_a', 4]]);

    const verify = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'verify', '--json', '-c', configPath], verify), 0, verify.err());
    const result = JSON.parse(verify.out()) as { ok: boolean; records: number; contentCleared: number };
    assert.deepEqual([result.ok, result.records, result.contentCleared], [true, 7, 4]);
    const usage = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'retention', '-c', configPath], usage), 2);
    assert.match(usage.err(), /exactly one of --dry-run or --apply/);
  });
});
