/** Publisher keys for rule bundles: trusted public keys from the config, and key generation for `bulwark rules keygen`. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyIdOf } from '../audit/signing-key.ts';
import type { TrustedKey } from './format.ts';

function requireEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
}

/** Reads `rules.trustedKeys`: each entry is PEM text or the path of a PEM file; errors name the entry. */
export function parseTrustedKeys(entries: readonly string[]): TrustedKey[] {
  return entries.map((entry, index) => {
    const source = `rules.trustedKeys.${index}`;
    let pem = entry.trim();
    if (!pem.startsWith('-----BEGIN')) {
      try {
        pem = readFileSync(pem, 'utf8');
      } catch (error) {
        throw new Error(`${source}: expected PEM text or the path of a readable file, could not read ${JSON.stringify(entry)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(pem);
    } catch (error) {
      throw new Error(`${source}: not a readable public key (${(error as Error).message})`);
    }
    requireEd25519(publicKey, source);
    return { keyId: keyIdOf(publicKey), publicKey };
  });
}

/** Reads a publisher's private key (PKCS#8 PEM file); the message never contains key material. */
export function readSigningKey(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--key ${path}: not a readable private key (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  requireEd25519(key, `--key ${path}`);
  return key;
}

/** A new publisher key pair as PEM text, with its key id. */
export function generatePublisherKey(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}
