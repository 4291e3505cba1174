import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { servicesAvailable, skipOrFail } from './services.ts';

describe('test/support/services', () => {
  test('probes return ok or a reason naming the service', async () => {
    for (const kind of ['postgres', 'redis'] as const) {
      const probe = await servicesAvailable(kind);
      if (!probe.ok) assert.match(probe.reason, kind === 'postgres' ? /PostgreSQL/ : /Redis/);
      assert.equal(await servicesAvailable(kind), probe, 'probe is cached');
    }
  });

  test('skipOrFail skips, or throws when BULWARK_REQUIRE_SERVICES=1', () => {
    const saved = process.env.BULWARK_REQUIRE_SERVICES;
    const skipped: string[] = [];
    const ctx = { skip: (m?: string) => void skipped.push(m ?? '') };
    try {
      delete process.env.BULWARK_REQUIRE_SERVICES;
      skipOrFail(ctx, 'no thing');
      assert.deepEqual(skipped, ['no thing']);
      process.env.BULWARK_REQUIRE_SERVICES = '1';
      assert.throws(() => skipOrFail(ctx, 'no thing'), /required service missing.*no thing/);
      assert.equal(skipped.length, 1);
    } finally {
      if (saved === undefined) delete process.env.BULWARK_REQUIRE_SERVICES;
      else process.env.BULWARK_REQUIRE_SERVICES = saved;
    }
  });
});
