import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMasterKeyring } from '../crypto/master-key.ts';
import { createLogger } from '../telemetry/logger.ts';
import { ContentSealingStore } from './content-sealing-store.ts';
import type { ContentStorage } from './content-storage.ts';
import { sampleEvent } from './event-store.contract.ts';
import { runRetention } from './retention.ts';
import type { AuditedEventStore, GatewayEvent } from './types.ts';

/**
 * Content modes, sealing and retention with crypto-shredding, run against each store
 * (content-retention.test.ts for SQLite, postgres.test.ts for PostgreSQL).
 */
export interface ContentStoreFactory {
  (): Promise<{ inner: AuditedEventStore; storage: ContentStorage }>;
}

const quiet = createLogger({ level: 'silent' });
const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'c'.repeat(64) });
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12);

async function open(factory: ContentStoreFactory, clock: { now: number }) {
  const { inner, storage } = await factory();
  return new ContentSealingStore({ inner, storage, keyring: () => keyring, keyPeriod: 'day', logger: quiet, now: () => clock.now });
}

const at = (ms: number) => new Date(ms).toISOString();
const secret = (i: number) => `card 4111 1111 1111 ${String(1000 + i)} for Jane Doe`;

export function runContentRetentionContract(name: string, factory: ContentStoreFactory): void {
  describe(`content modes and retention: ${name}`, () => {
    test('full content is sealed before it is stored and opens again; none keeps nothing; redacted is stored as given', async () => {
      const clock = { now: T0 };
      const store = await open(factory, clock);
      try {
        const full = sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: at(T0), content: { request: secret(1), response: 'ok' } });
        const none = sampleEvent({ tenant: 'ten_a', contentMode: 'none', time: at(T0), content: { request: secret(2) } });
        const redacted = sampleEvent({ tenant: 'ten_a', contentMode: 'redacted', time: at(T0), content: { request: 'card [REDACTED]' } });
        for (const e of [full, none, redacted]) store.append(e);
        await store.flush();
        const stored = (await store.get(full.id))!;
        assert.ok(stored.content?.sealed?.startsWith('c1.ck_'), 'sealed envelope stored');
        assert.ok(!JSON.stringify(stored).includes('4111'), 'no plaintext in the stored event');
        assert.equal(stored.contentMode, 'full');
        assert.deepEqual(await store.revealContent(stored), { request: secret(1), response: 'ok' });
        assert.equal((await store.get(none.id))!.content, null);
        assert.deepEqual((await store.get(redacted.id))!.content, { request: 'card [REDACTED]' });
        // Bound to its event: the ciphertext moved onto another event does not open.
        await assert.rejects(store.revealContent({ ...stored, id: redacted.id }));
        const keys = await store.contentStorage.listKeys('ten_a');
        assert.equal(keys.length, 1);
        assert.equal(keys[0]!.period, '2026-01-10');
        assert.ok(!keys[0]!.wrapped!.includes(keyring.current.key.toString('hex')));
        assert.equal((await store.verifyChain()).ok, true);
      } finally {
        await store.close();
      }
    });

    test('retention clears old content and destroys expired keys; the chain still verifies; applying is audited', async () => {
      const clock = { now: T0 };
      const store = await open(factory, clock);
      try {
        const old: GatewayEvent[] = [];
        for (let i = 0; i < 5; i++) old.push(sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: at(T0 + i), content: { request: secret(i) } }));
        const otherTenant = sampleEvent({ tenant: 'ten_keep', contentMode: 'full', time: at(T0), content: { request: secret(9) } });
        for (const e of [...old, otherTenant]) store.append(e);
        await store.flush();
        const sealedBefore = (await store.get(old[0]!.id))!;
        clock.now = T0 + 10 * DAY;
        const fresh = sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: at(clock.now), content: { request: secret(20) } });
        store.append(fresh);
        await store.flush();
        const config = { retention: { days: null, keyPeriod: 'day' as const, intervalMs: 3_600_000 }, tenants: { ten_a: { retentionDays: 3 } } };
        const dry = await runRetention({ storage: store.contentStorage, store, config, policy: 'default', actor: 'test', dryRun: true, now: clock.now });
        assert.deepEqual(dry.tenants.map((t) => [t.tenant, t.contentCleared, t.keysDestroyed.map((k) => k.period)]), [['ten_a', 5, ['2026-01-10']]]);
        assert.ok((await store.get(old[0]!.id))!.content?.sealed, 'a dry run changes nothing');
        const countBefore = await store.count();
        const applied = await runRetention({ storage: store.contentStorage, store, config, policy: 'default', actor: 'test', dryRun: false, now: clock.now });
        assert.equal(applied.tenants[0]!.contentCleared, 5);
        await store.flush();
        for (const e of old) assert.equal((await store.get(e.id))!.content, null);
        // Crypto-shredding: a copy of the ciphertext kept elsewhere no longer opens.
        await assert.rejects(store.revealContent(sealedBefore), /destroyed/);
        assert.deepEqual(await store.revealContent((await store.get(fresh.id))!), { request: secret(20) });
        assert.ok((await store.get(otherTenant.id))!.content?.sealed, 'a tenant without retention is untouched');
        // The run is an admin event in the tenant's chain, and every chain still verifies.
        assert.equal(await store.count(), countBefore + 1);
        const audit = (await store.list({ limit: 10 })).find((e) => e.route === 'admin.retention.apply');
        assert.ok(audit && audit.tenant === 'ten_a' && /5 events/.test(audit.findings[0]!.message));
        const verified = await store.verifyChain();
        assert.equal(verified.ok, true, JSON.stringify(verified.problems));
        assert.equal(verified.contentCleared, 5);
        // Nothing left to do: a second run clears and destroys nothing and records nothing.
        const again = await runRetention({ storage: store.contentStorage, store, config, policy: 'default', actor: 'test', dryRun: false, now: clock.now });
        assert.deepEqual([again.tenants[0]!.contentCleared, again.tenants[0]!.keysDestroyed.length], [0, 0]);
        // A destroyed period never gets a new key: late events of it keep no content (fail closed).
        clock.now = T0 + 3_600_000;
        const late = sampleEvent({ tenant: 'ten_a', contentMode: 'full', time: at(clock.now), content: { request: secret(30) } });
        store.append(late);
        await store.flush();
        assert.equal((await store.get(late.id))!.content, null);
        assert.equal((await store.contentStorage.listKeys('ten_a')).filter((k) => k.period === '2026-01-10').length, 1);
      } finally {
        await store.close();
      }
    });
  });
}
