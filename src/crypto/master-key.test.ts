import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMasterKeyring, MasterKeyError } from './master-key.ts';

describe('loadMasterKeyring', () => {
  it('creates master.key in the data directory on first use, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-mk-'));
    try {
      const first = loadMasterKeyring(dir, {});
      assert.equal(first.source, 'generated');
      assert.ok(existsSync(join(dir, 'master.key')));
      const again = loadMasterKeyring(dir, {});
      assert.equal(again.source, 'data-dir');
      assert.equal(again.current.id, first.current.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with create: false, throws a clear error and writes no key file when none is configured', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-mk-'));
    try {
      assert.throws(() => loadMasterKeyring(dir, {}, { create: false }), (err: unknown) => err instanceof MasterKeyError && /no master key/.test(err.message) && /BULWARK_MASTER_KEY/.test(err.message));
      assert.equal(existsSync(join(dir, 'master.key')), false);
      // A configured key still loads.
      assert.equal(loadMasterKeyring(dir, { BULWARK_MASTER_KEY: 'a'.repeat(64) }, { create: false }).source, 'env');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
