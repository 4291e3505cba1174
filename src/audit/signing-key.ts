import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createFileOnce } from '../crypto/create-once.ts';
import { join } from 'node:path';

/** Environment variable holding the checkpoint signing key: a PEM (PKCS#8 Ed25519) or the path of a file holding one. */
export const SIGNING_KEY_ENV = 'BULWARK_AUDIT_SIGNING_KEY';
/** Files generated in the data directory when the variable is unset. */
export const PRIVATE_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

/** The key checkpoints are signed with. Never log it: log `keyId` instead. */
export interface AuditSigningKey {
  privateKey: KeyObject;
  /** PKCS#8 PEM, for handing to the SQLite writer thread. */
  privateKeyPem: string;
  publicKey: KeyObject;
  keyId: string;
}

/** The key checkpoints are verified with. */
export interface AuditVerifyKey {
  publicKey: KeyObject;
  keyId: string;
}

/** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in checkpoints without revealing anything. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function requireEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
}

function parsePrivate(pem: string, source: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    // The parser's message never contains the key material.
    throw new Error(`${source}: not a readable private key (${(err as Error).message})`);
  }
  requireEd25519(privateKey, source);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey, keyId: keyIdOf(publicKey) };
}

function fromEnv(value: string): AuditSigningKey {
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN')) return parsePrivate(trimmed, `${SIGNING_KEY_ENV} (inline PEM)`);
  let pem: string;
  try {
    pem = readFileSync(trimmed, 'utf8');
  } catch (err) {
    throw new Error(`${SIGNING_KEY_ENV}: expected a PEM or the path of a readable file, could not read ${JSON.stringify(trimmed)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parsePrivate(pem, `${SIGNING_KEY_ENV} (file ${trimmed})`);
}

/**
 * The signing key: from BULWARK_AUDIT_SIGNING_KEY when set, else `<dataDir>/audit-signing-key.pem`,
 * generated on first start (mode 0600, the public key beside it in `audit-signing-key.pub.pem`).
 */
export function loadAuditSigningKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditSigningKey {
  const fromVariable = env[SIGNING_KEY_ENV];
  if (fromVariable !== undefined && fromVariable.trim() !== '') return fromEnv(fromVariable);
  const path = join(dataDir, PRIVATE_KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // Atomic: if another process created it first, read theirs (never a half-written file).
    if (createFileOnce(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600)) {
      createFileOnce(join(dataDir, PUBLIC_KEY_FILE), publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
    }
  }
  const key = parsePrivate(readFileSync(path, 'utf8'), `audit signing key file ${path}`);
  // Verification reads the public key file; put it back if it went missing.
  const publicPath = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(publicPath)) createFileOnce(publicPath, key.publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  return key;
}

/**
 * The verification key: derived from BULWARK_AUDIT_SIGNING_KEY when set, else read from
 * `<dataDir>/audit-signing-key.pub.pem`; null when neither exists (signatures cannot be checked).
 */
export function loadAuditVerifyKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditVerifyKey | null {
  const fromVariable = env[SIGNING_KEY_ENV];
  if (fromVariable !== undefined && fromVariable.trim() !== '') {
    const { publicKey, keyId } = fromEnv(fromVariable);
    return { publicKey, keyId };
  }
  const path = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(path)) return null;
  const publicKey = createPublicKey(readFileSync(path, 'utf8'));
  requireEd25519(publicKey, `audit public key file ${path}`);
  return { publicKey, keyId: keyIdOf(publicKey) };
}
