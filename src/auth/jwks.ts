import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'undici';

/** One usable key of a JWKS: its id, declared algorithm (if any), key type and the public key. */
export interface JwksKey {
  kid: string | null;
  alg: string | null;
  kty: string;
  crv: string | null;
  key: KeyObject;
}

export interface JwksSourceOptions {
  /** Exactly one of url or file. */
  url?: string;
  file?: string;
  ttlMs: number;
  timeoutMs: number;
  now?: () => number;
  /** Least time between two reloads triggered by unknown `kid`s, so forged kids cannot hammer the identity provider. */
  minRefreshIntervalMs?: number;
}

/** Largest JWKS document accepted. */
const maxBytes = 256 * 1024;

/** Turns a JWKS document into keys; entries that are not signature public keys are skipped, a malformed document throws. */
export function parseJwks(text: string, where: string): JwksKey[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${where}: expected a JWKS JSON document`);
  }
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new Error(`${where}: expected an object with a "keys" array`);
  const out: JwksKey[] = [];
  for (const entry of keys as Record<string, unknown>[]) {
    if (!entry || typeof entry !== 'object' || typeof entry.kty !== 'string') continue;
    if (entry.use !== undefined && entry.use !== 'sig') continue;
    // Private parts are never needed; a JWKS that leaks them is still only used for verification.
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = entry;
    try {
      out.push({ kid: typeof entry.kid === 'string' ? entry.kid : null, alg: typeof entry.alg === 'string' ? entry.alg : null, kty: entry.kty, crv: typeof entry.crv === 'string' ? entry.crv : null, key: createPublicKey({ key: publicPart as JsonWebKey, format: 'jwk' }) });
    } catch {
      // An unsupported or malformed key is unusable, not fatal for the others.
    }
  }
  return out;
}

/** A JWKS loaded from a URL (undici) or a file, cached for `ttlMs` and reloaded early when a token names an unknown `kid`. */
export class JwksSource {
  #keys: JwksKey[] | null = null;
  #loadedAt = 0;
  #lastForced = Number.NEGATIVE_INFINITY;
  #loading: Promise<JwksKey[]> | null = null;
  readonly #now: () => number;

  constructor(private readonly options: JwksSourceOptions) {
    if ((options.url === undefined) === (options.file === undefined)) throw new Error('jwks: expected exactly one of url or file');
    this.#now = options.now ?? Date.now;
  }

  /** The keys matching `kid` (every key when the token names none); reloads once when the kid is unknown. */
  async keysFor(kid: string | null): Promise<JwksKey[]> {
    let keys = await this.#current(false);
    const pick = (all: JwksKey[]): JwksKey[] => (kid === null ? all : all.filter((key) => key.kid === kid));
    if (pick(keys).length === 0 && this.#now() - this.#lastForced >= (this.options.minRefreshIntervalMs ?? 10_000)) {
      this.#lastForced = this.#now();
      keys = await this.#current(true);
    }
    return pick(keys);
  }

  async #current(force: boolean): Promise<JwksKey[]> {
    if (!force && this.#keys && this.#now() - this.#loadedAt < this.options.ttlMs) return this.#keys;
    this.#loading ??= this.#load().finally(() => (this.#loading = null));
    try {
      return await this.#loading;
    } catch (error) {
      // Keep serving the last good keys while the identity provider is unreachable.
      if (this.#keys) return this.#keys;
      throw error;
    }
  }

  async #load(): Promise<JwksKey[]> {
    const text = this.options.url !== undefined ? await this.#fetch(this.options.url) : await readFile(this.options.file!, 'utf8');
    const keys = parseJwks(text, this.options.url !== undefined ? `jwksUrl (${this.options.url})` : `jwksFile (${this.options.file})`);
    this.#keys = keys;
    this.#loadedAt = this.#now();
    return keys;
  }

  /** Redirects are not followed (undici's default): the JWKS must be served at the configured URL. */
  async #fetch(url: string): Promise<string> {
    const response = await request(url, { method: 'GET', headers: { accept: 'application/json' }, headersTimeout: this.options.timeoutMs, bodyTimeout: this.options.timeoutMs });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`jwksUrl (${url}): expected HTTP 200, got ${response.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new Error(`jwksUrl (${url}): document larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
