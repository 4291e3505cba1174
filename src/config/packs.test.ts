import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { compilePolicy } from '../proxy/gateway.ts';
import { ConfigError } from './load.ts';
import { expandPacks, listPackNames, loadPack } from './packs.ts';
import { Config, Policy } from './schema.ts';

describe('compliance and vertical packs', () => {
  it('ships the packs the product promises', () => {
    assert.deepEqual(listPackNames(), ['ccpa', 'finance', 'gdpr', 'healthcare', 'hipaa', 'manufacturing', 'pci-dss']);
  });

  for (const name of listPackNames()) {
    it(`${name}: valid, versioned, every instance cites clauses and compiles`, () => {
      const pack = loadPack(name);
      assert.match(pack.version, /^\d+\.\d+\.\d+$/);
      assert.ok(pack.references.length > 0, 'cites its texts');
      for (const instance of pack.scanners) assert.ok(Object.keys(instance.clauses).length > 0, `${instance.id} cites clauses`);
      const runner = compilePolicy(Config.parse({ policy: { packs: [name] } }), pino({ level: 'silent' }), mkdtempSync(join(tmpdir(), 'bulwark-pack-')));
      assert.equal(runner.slots.length, pack.scanners.length);
      assert.ok(runner.slots.every((slot) => slot.settings.id.startsWith(`${name}.`)));
    });
  }

  it('lets the policy replace a pack instance by id', () => {
    const policy = Policy.parse({ packs: ['pci-dss'], scanners: [{ id: 'pci-dss.pan', scanner: 'text/regex', action: 'flag', config: { patterns: [{ id: 'x', pattern: 'x' }] } }] });
    const expanded = expandPacks(policy);
    const pan = expanded.scanners.filter((instance) => instance.id === 'pci-dss.pan');
    assert.equal(pan.length, 1);
    assert.equal(pan[0]!.action, 'flag');
  });

  it('names an unknown pack and a broken pack file clearly', () => {
    assert.throws(() => expandPacks(Policy.parse({ packs: ['sox'] })), (error: unknown) => error instanceof ConfigError && /unknown pack "sox"; available: ccpa/.test(error.message));
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-packs-'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nversion: one\ntitle: x\ndescription: y\nkind: compliance\nscanners: []\n');
    assert.throws(() => loadPack('broken', dir), (error: unknown) => error instanceof ConfigError && /version: expected a semantic version/.test(error.message) && /scanners/.test(error.message));
  });
});
