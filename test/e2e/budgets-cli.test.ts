import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSqliteKeyStore } from '../../src/auth/sqlite-key-store.ts';
import { spendCounter } from '../../src/limits/budgets.ts';
import { createRedisLimitStore } from '../../src/limits/redis-limit-store.ts';
import { REDIS_TEST_URL, servicesAvailable, skipOrFail } from '../support/services.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-budgets-cli-'));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'bulwark.js');
const env = { ...process.env, BULWARK_DATA_DIR: dataDir, BULWARK_CONFIG: '' };
const cli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('bulwark budgets / keys unsuspend', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  let tenantId = '';
  let keyId = '';

  it('sets budgets on a tenant and a key, shows them (spend n/a with the memory store), and names bad flags', () => {
    tenantId = (JSON.parse(cli(['tenants', 'create', 'acme', '--json']).stdout) as { id: string }).id;
    cli(['projects', 'create', 'app', '--tenant', 'acme']);
    keyId = (JSON.parse(cli(['keys', 'create', '--tenant', 'acme', '--project', 'app', '--json']).stdout) as { id: string }).id;
    const tenantBudget = cli(['budgets', 'set', '--tenant', 'acme', '--amount', '50', '--period', 'month', '--soft', '0.8']);
    assert.equal(tenantBudget.status, 0, tenantBudget.stderr);
    assert.match(tenantBudget.stdout, new RegExp(`budget for tenant ${tenantId}: 50 USD per month, alert at 80%`));
    assert.equal(cli(['budgets', 'set', '--tenant', 'acme', '--key', keyId, '--amount', '5', '--period', 'day']).status, 0);
    const shown = cli(['budgets', 'show', '--tenant', 'acme']);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /SCOPE\s+ID\s+PERIOD\s+SPENT\s+BUDGET/);
    assert.match(shown.stdout, new RegExp(`tenant\\s+${tenantId}\\s+month\\s+n/a\\s+50\\.00 USD`));
    assert.match(shown.stdout, new RegExp(`key\\s+${keyId}\\s+day\\s+n/a\\s+5\\.00 USD`));
    assert.match(shown.stdout, /limits\.store is memory/);
    const bad = cli(['budgets', 'set', '--tenant', 'acme', '--amount', '5', '--period', 'year']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--period: expected one of day, week, month, total, got "year"/);
  });

  it('shows spend against budget from Redis when the config uses the redis limit store', async (t) => {
    const probe = await servicesAvailable('redis');
    if (!probe.ok) {
      skipOrFail(t, probe.reason);
      return;
    }
    const keyPrefix = `bulwark:limits:test-${randomUUID().slice(0, 8)}:`;
    const config = join(dataDir, 'bulwark.yaml');
    writeFileSync(config, `version: 1\nlimits:\n  store: redis\n  redis:\n    url: ${REDIS_TEST_URL}\n    keyPrefix: "${keyPrefix}"\n`);
    const store = await createRedisLimitStore({ url: REDIS_TEST_URL, keyPrefix });
    // 12.5 USD spent by the tenant this month, as a gateway would have recorded it.
    await store.addSpend([{ ...spendCounter({ scope: 'tenant', id: tenantId, currency: 'USD', period: 'month' }), amount: 12_500_000 }], { group: tenantId });
    let shown;
    try {
      shown = cli(['budgets', 'show', '--tenant', 'acme', '-c', config, '--json']);
    } finally {
      const leftovers = await store.redis.keys(`${keyPrefix}*`);
      if (leftovers.length > 0) await store.redis.del(...leftovers);
      await store.close();
    }
    assert.equal(shown.status, 0, shown.stderr);
    const rows = JSON.parse(shown.stdout) as { scope: string; spent: number; amount: number; percent: number; periodEnd: string }[];
    const tenantRow = rows.find((row) => row.scope === 'tenant')!;
    assert.deepEqual([tenantRow.spent, tenantRow.amount, tenantRow.percent], [12.5, 50, 25]);
    assert.match(tenantRow.periodEnd, /^\d{4}-\d\d-01T00:00:00\.000Z$/);
    assert.equal(rows.find((row) => row.scope === 'key')!.spent, 0);
  });

  it('keys unsuspend lifts a suspension', () => {
    // As a gateway's abuse detection would have stored it.
    const store = createSqliteKeyStore({ path: join(dataDir, 'control.db'), cacheTtlMs: 0 });
    store.suspendKey(keyId, 'abuse score 0.97');
    const listed = JSON.parse(cli(['keys', 'list', '--json']).stdout) as { id: string; status: string }[];
    assert.equal(listed.find((key) => key.id === keyId)?.status, 'suspended');
    const lifted = cli(['keys', 'unsuspend', keyId]);
    assert.equal(lifted.status, 0, lifted.stderr);
    assert.match(lifted.stdout, new RegExp(`lifted the suspension of key ${keyId}`));
    assert.equal(store.suspension(keyId), null);
    store.close();
    const notSuspended = cli(['keys', 'unsuspend', keyId]);
    assert.equal(notSuspended.status, 0, notSuspended.stderr);
    assert.match(notSuspended.stdout, /was not suspended/);
    const missing = cli(['keys', 'unsuspend', 'key_nope']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no key with id "key_nope"/);
  });
});
