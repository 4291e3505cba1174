import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lookupDigest, open, seal } from './envelope.ts';
import { loadMasterKeyring, MasterKeyError } from './master-key.ts';

const hexKey = (byte: string) => byte.repeat(64);

describe('master key and envelope', () => {
  it('generates a 0600 key file on first use and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-mk-'));
    const first = loadMasterKeyring(dir, {});
    assert.equal(first.source, 'generated');
    assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
    const again = loadMasterKeyring(dir, {});
    assert.equal(again.source, 'data-dir');
    assert.equal(again.current.id, first.current.id);
    assert.match(readFileSync(join(dir, 'master.key'), 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('rejects a malformed key naming its source', () => {
    assert.throws(() => loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'short' }), (error: unknown) => error instanceof MasterKeyError && /BULWARK_MASTER_KEY: expected a 32-byte key/.test(error.message));
  });

  it('round-trips, binds to its context and refuses tampering', () => {
    const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: hexKey('a') });
    const sealed = seal(keyring, 'Jane Doe', 'tenant-a|conv-1');
    assert.ok(!sealed.includes('Jane'));
    assert.equal(open(keyring, sealed, 'tenant-a|conv-1'), 'Jane Doe');
    assert.throws(() => open(keyring, sealed, 'tenant-b|conv-1'));
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    assert.throws(() => open(keyring, [...parts.slice(0, 3), body.toString('base64url')].join('.'), 'tenant-a|conv-1'));
  });

  it('opens values sealed under a previous key after rotation', () => {
    const old = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: hexKey('a') });
    const sealed = seal(old, 'secret', 'ctx');
    const rotated = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: hexKey('b'), BULWARK_MASTER_KEY_PREVIOUS: hexKey('a') });
    assert.equal(open(rotated, sealed, 'ctx'), 'secret');
    assert.notEqual(seal(rotated, 'secret', 'ctx').split('.')[1], sealed.split('.')[1]);
    const unrelated = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: hexKey('c') });
    assert.throws(() => open(unrelated, sealed, 'ctx'), /not in the keyring/);
  });

  it('lookup digests are stable per key and purpose', () => {
    const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: hexKey('a') });
    assert.equal(lookupDigest(keyring, 'vault', 'x'), lookupDigest(keyring, 'vault', 'x'));
    assert.notEqual(lookupDigest(keyring, 'vault', 'x'), lookupDigest(keyring, 'other', 'x'));
  });
});
