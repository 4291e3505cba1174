/**
 * AES-256-GCM sealing under the master keyring. A sealed value is
 * `v1.<key id>.<base64url iv>.<base64url ciphertext+tag>`; `aad` binds it to its context
 * (e.g. tenant and conversation), so a ciphertext copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { MasterKeyring } from './master-key.ts';

const VERSION = 'v1';

export function seal(keyring: MasterKeyring, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${keyring.current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** Opens a sealed value; throws when it was tampered with, bound to another context, or its key is unknown. */
export function open(keyring: MasterKeyring, sealed: string, aad: string): string {
  const [version, keyId, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !keyId || !ivText || !bodyText) throw new Error('sealed value: unknown format');
  const key = keyring.byId.get(keyId);
  if (!key) throw new Error(`sealed value: key ${keyId} is not in the keyring (set BULWARK_MASTER_KEY_PREVIOUS to rotate)`);
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new Error('sealed value: truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
}

/** A keyed lookup digest (HMAC-SHA-256 under a key derived from the current master key), so indexes hold no plaintext. */
export function lookupDigest(keyring: MasterKeyring, purpose: string, value: string): string {
  const derived = createHmac('sha256', keyring.current.key).update(`bulwark-lookup:${purpose}`).digest();
  return createHmac('sha256', derived).update(value).digest('base64url');
}
