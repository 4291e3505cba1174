import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { CONTROL_MIGRATIONS, migrateControl } from './migrations.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';

describe('control.db budgets and suspensions', () => {
  it('migrates a version-1 database forward to budgets and key_suspensions', () => {
    const db = new BetterSqlite3(':memory:');
    assert.deepEqual(migrateControl(db, CONTROL_MIGRATIONS.slice(0, 1)), [1]);
    assert.deepEqual(migrateControl(db, CONTROL_MIGRATIONS.slice(0, 2)), [2]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    assert.ok(tables.includes('budgets') && tables.includes('key_suspensions'));
    db.close();
  });

  it('stores one budget per scope id and period, replaces it on set, and validates every field', () => {
    const store = createSqliteKeyStore({ path: ':memory:', cacheTtlMs: 0 });
    const tenant = store.createTenant('acme');
    store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'month', amount: 50, currency: 'USD', soft: 0.8 });
    store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'day', amount: 5, currency: 'USD', soft: null });
    store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'month', amount: 75, currency: 'USD', soft: 0.9 });
    assert.deepEqual(store.budgets('tenant', tenant.id).map((budget) => [budget.period, budget.amount, budget.soft]), [['day', 5, null], ['month', 75, 0.9]]);
    assert.throws(() => store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'year' as never, amount: 1, currency: 'USD', soft: null }), /period: expected one of day, week, month, total/);
    assert.throws(() => store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'day', amount: -1, currency: 'USD', soft: null }), /amount: expected a number > 0/);
    assert.throws(() => store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'day', amount: 1, currency: 'usd', soft: null }), /currency: expected a three-letter code/);
    assert.throws(() => store.setBudget({ scope: 'tenant', scopeId: tenant.id, period: 'day', amount: 1, currency: 'USD', soft: 1.5 }), /soft: expected a fraction between 0 and 1/);
    assert.equal(store.deleteBudget('tenant', tenant.id, 'day'), true);
    assert.equal(store.deleteBudget('tenant', tenant.id, 'day'), false);
    store.close();
  });

  it('a suspension made by another process (the CLI) applies within the cache TTL, and so does lifting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-control-'));
    try {
      const clock = { now: Date.parse('2030-01-01T00:00:00Z') };
      const gateway = createSqliteKeyStore({ path: join(dir, 'control.db'), cacheTtlMs: 5000, now: () => clock.now });
      const tenant = gateway.createTenant('acme');
      const project = gateway.createProject(tenant.id, 'app');
      const { record } = gateway.createKey({ tenantId: tenant.id, projectId: project.id });
      assert.equal(gateway.suspension(record.id), null);
      const cli = createSqliteKeyStore({ path: join(dir, 'control.db'), cacheTtlMs: 0 });
      cli.suspendKey(record.id, 'abuse score 0.97');
      // Cached "not suspended" until the TTL passes.
      assert.equal(gateway.suspension(record.id), null);
      clock.now += 5000;
      assert.equal(gateway.suspension(record.id)?.reason, 'abuse score 0.97');
      // Idempotent: a second suspension keeps the first reason.
      assert.equal(cli.suspendKey(record.id, 'again').reason, 'abuse score 0.97');
      assert.equal(cli.unsuspendKey(record.id), true);
      assert.equal(cli.unsuspendKey(record.id), false);
      clock.now += 5000;
      assert.equal(gateway.suspension(record.id), null);
      assert.throws(() => cli.suspendKey('key_missing', 'x'), /does not exist/);
      cli.close();
      gateway.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
