import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointBytes, signCheckpoint } from './chain-format.mjs';
import { loadAuditSigningKey, loadAuditVerifyKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, SIGNING_KEY_ENV } from './signing-key.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-audit-key-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('audit signing key', () => {
  test('generated on first start with mode 0600, public key beside it, the same key afterwards', () => {
    const dir = join(root, 'gen');
    const first = loadAuditSigningKey(dir, {});
    assert.equal(statSync(join(dir, PRIVATE_KEY_FILE)).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8'), /BEGIN PUBLIC KEY/);
    const again = loadAuditSigningKey(dir, {});
    assert.equal(again.keyId, first.keyId);
    assert.equal(loadAuditVerifyKey(dir, {})?.keyId, first.keyId);
    rmSync(join(dir, PUBLIC_KEY_FILE));
    loadAuditSigningKey(dir, {});
    assert.equal(loadAuditVerifyKey(dir, {})?.keyId, first.keyId, 'a missing public key file is written again');
    const sig = signCheckpoint(first.privateKey, 'default', 3, 'ab'.repeat(32), '2025-01-01T00:00:00.000Z');
    assert.ok(verify(null, checkpointBytes('default', 3, 'ab'.repeat(32), '2025-01-01T00:00:00.000Z'), again.publicKey, Buffer.from(sig, 'base64')));
  });

  test('taken from the environment as inline PEM or as a file path', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const inline = loadAuditSigningKey(join(root, 'unused-1'), { [SIGNING_KEY_ENV]: pem });
    const path = join(root, 'key.pem');
    writeFileSync(path, pem, { mode: 0o600 });
    const fromFile = loadAuditSigningKey(join(root, 'unused-2'), { [SIGNING_KEY_ENV]: path });
    assert.equal(inline.keyId, fromFile.keyId);
    assert.equal(loadAuditVerifyKey(join(root, 'unused-3'), { [SIGNING_KEY_ENV]: path })?.keyId, inline.keyId);
  });

  test('errors name the variable and never echo key material', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => loadAuditSigningKey(root, { [SIGNING_KEY_ENV]: pem }), (err: Error) => err.message.includes(SIGNING_KEY_ENV) && /expected an Ed25519 key/.test(err.message) && !err.message.includes('PRIVATE KEY'));
    assert.throws(() => loadAuditSigningKey(root, { [SIGNING_KEY_ENV]: '/no/such/file' }), new RegExp(`${SIGNING_KEY_ENV}: expected a PEM or the path of a readable file`));
    const garbage = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXN0dWZm\n-----END PRIVATE KEY-----';
    assert.throws(() => loadAuditSigningKey(root, { [SIGNING_KEY_ENV]: garbage }), (err: Error) => /not a readable private key/.test(err.message) && !err.message.includes('c2VjcmV0'));
  });

  test('no verify key when neither the variable nor the public key file exists', () => {
    assert.equal(loadAuditVerifyKey(join(root, 'empty'), {}), null);
  });
});
