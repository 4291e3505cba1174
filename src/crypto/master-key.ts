/**
 * The master key that encrypts data at rest (pseudonym vault values, provider credentials).
 *
 * Sources, first match wins: `BULWARK_MASTER_KEY` (32 bytes as 64 hex characters or base64),
 * `BULWARK_MASTER_KEY_FILE` (a file holding the same), or `<dataDir>/master.key`, created on first
 * use with mode 0600. Older keys for rotation come from `BULWARK_MASTER_KEY_PREVIOUS`
 * (comma-separated, same encodings): they still decrypt, only the current key encrypts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createFileOnce } from './create-once.ts';
import { dirname, join } from 'node:path';

export interface MasterKey {
  /** Short public identifier (first 8 hex chars of SHA-256 of the key), stored beside ciphertexts. */
  id: string;
  key: Buffer;
}

export interface MasterKeyring {
  current: MasterKey;
  /** Every key that may decrypt, current first. */
  byId: ReadonlyMap<string, MasterKey>;
  source: 'env' | 'file' | 'generated' | 'data-dir';
}

export class MasterKeyError extends Error {}

function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new MasterKeyError(`${where}: expected a 32-byte key as 64 hex characters or base64, got ${key.length} bytes`);
  return key;
}

function toMasterKey(key: Buffer): MasterKey {
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * Loads (or on first use creates) the keyring; throws MasterKeyError naming the bad source.
 * `create: false` (readers such as the review CLI) never writes a key file: with no key configured it throws.
 */
export function loadMasterKeyring(dataDir: string, env: NodeJS.ProcessEnv = process.env, options: { create?: boolean } = {}): MasterKeyring {
  let current: Buffer;
  let source: MasterKeyring['source'];
  if (env.BULWARK_MASTER_KEY) {
    current = parseKey(env.BULWARK_MASTER_KEY, 'BULWARK_MASTER_KEY');
    source = 'env';
  } else if (env.BULWARK_MASTER_KEY_FILE) {
    const path = env.BULWARK_MASTER_KEY_FILE;
    if (!existsSync(path)) throw new MasterKeyError(`BULWARK_MASTER_KEY_FILE: file not found: ${path}`);
    current = parseKey(readFileSync(path, 'utf8'), `BULWARK_MASTER_KEY_FILE (${path})`);
    source = 'file';
  } else {
    const path = join(dataDir, 'master.key');
    if (existsSync(path)) {
      current = parseKey(readFileSync(path, 'utf8'), path);
      source = 'data-dir';
    } else if (options.create === false) {
      throw new MasterKeyError(`no master key: ${path} does not exist and neither BULWARK_MASTER_KEY nor BULWARK_MASTER_KEY_FILE is set (the key the gateway used is needed to open sealed content)`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      const fresh = randomBytes(32);
      // Atomic: a gateway racing to create it either wins or reads the complete key of the winner.
      if (createFileOnce(path, `${fresh.toString('hex')}\n`, 0o600)) {
        current = fresh;
        source = 'generated';
      } else {
        current = parseKey(readFileSync(path, 'utf8'), path);
        source = 'data-dir';
      }
    }
  }
  const keys = [toMasterKey(current)];
  for (const [index, text] of (env.BULWARK_MASTER_KEY_PREVIOUS ?? '').split(',').entries()) {
    if (text.trim() !== '') keys.push(toMasterKey(parseKey(text, `BULWARK_MASTER_KEY_PREVIOUS[${index}]`)));
  }
  return { current: keys[0]!, byId: new Map(keys.map((key) => [key.id, key])), source };
}
