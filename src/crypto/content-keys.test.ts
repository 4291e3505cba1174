import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newContentKey, openContent, periodEndMs, periodOf, sealContent, sealedKeyId, unwrapContentKey } from './content-keys.ts';
import { loadMasterKeyring } from './master-key.ts';

const keyring = loadMasterKeyring('/nonexistent', { BULWARK_MASTER_KEY: 'f'.repeat(64) });

describe('content data keys', () => {
  it('names periods by UTC day or month and knows when each ends', () => {
    const t = Date.UTC(2026, 1, 28, 23, 59, 59);
    assert.equal(periodOf(t, 'day'), '2026-02-28');
    assert.equal(periodOf(t, 'month'), '2026-02');
    assert.equal(periodEndMs('2026-02-28'), Date.UTC(2026, 2, 1));
    assert.equal(periodEndMs('2026-12'), Date.UTC(2027, 0, 1));
    assert.throws(() => periodEndMs('2026'), /not a key period/);
  });

  it('wraps a key for its tenant and period only, and refuses a destroyed one', () => {
    const { key, wrapped } = newContentKey(keyring, 'ten_a', '2026-02-28');
    const stored = { partition: 'ten_a', period: '2026-02-28', keyId: key.keyId, wrapped, createdAt: '', destroyedAt: null };
    assert.deepEqual(unwrapContentKey(keyring, stored).key, key.key);
    assert.throws(() => unwrapContentKey(keyring, { ...stored, partition: 'ten_b' }));
    assert.throws(() => unwrapContentKey(keyring, { ...stored, wrapped: null, destroyedAt: '2026-03-30T00:00:00.000Z' }), /destroyed/);
  });

  it('seals content bound to its tenant and event; tampering or another key fails', () => {
    const { key } = newContentKey(keyring, 'ten_a', '2026-02');
    const sealed = sealContent(key, 'ten_a', 'evt_1', '{"request":"Jane Doe 4111"}');
    assert.equal(sealedKeyId(sealed), key.keyId);
    assert.ok(!sealed.includes('Jane'));
    assert.equal(openContent(key, 'ten_a', 'evt_1', sealed), '{"request":"Jane Doe 4111"}');
    assert.throws(() => openContent(key, 'ten_a', 'evt_2', sealed));
    assert.throws(() => openContent(key, 'ten_b', 'evt_1', sealed));
    const other = newContentKey(keyring, 'ten_a', '2026-03').key;
    assert.throws(() => openContent(other, 'ten_a', 'evt_1', sealed), /sealed under/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    assert.throws(() => openContent(key, 'ten_a', 'evt_1', [...parts.slice(0, 3), body.toString('base64url')].join('.')));
    assert.equal(sealedKeyId('v1.x.y.z'), null);
  });
});
