/**
 * The active rule bundle of a running gateway: verified at startup, then re-checked every
 * `pollIntervalMs` (file identity and mtime) and swapped in without a restart. A new bundle that
 * fails verification is refused with an error naming the field; the last good rules stay active.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { activeRulesOf, BUILTIN_RULES, type ActiveRules, type RulesSource } from './active-rules.ts';
import type { RulesConfig } from './config.ts';
import { RulesBundleError, verifyBundle, type TrustedKey } from './format.ts';
import { parseTrustedKeys } from './keys.ts';

/** The configured bundle location (`rules.bundlePath`, else `<dataDir>/rules/bundle.json`). */
export function bundlePathOf(config: RulesConfig, dataDir: string): string {
  return config.bundlePath !== '' ? config.bundlePath : join(dataDir, 'rules', 'bundle.json');
}

/** What /readyz shows. */
export interface RulesStatus {
  version: string;
  builtinVersion: string;
  bundle: ActiveRules['bundle'];
  path: string;
  /** Why the file on disk is not the active bundle (refused or unreadable), or null. */
  error: string | null;
}

interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

function identityOf(path: string): FileIdentity | null {
  try {
    const stat = statSync(path);
    return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sameIdentity(a: FileIdentity | null, b: FileIdentity | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

export interface RulesRuntimeOptions {
  config: RulesConfig;
  dataDir: string;
  logger: Logger;
}

export class RulesRuntime implements RulesSource {
  readonly path: string;
  #rules: ActiveRules = BUILTIN_RULES;
  #error: string | null = null;
  #seen: FileIdentity | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #trusted: readonly TrustedKey[];
  readonly #logger: Logger;

  /**
   * Loads the bundle at startup. A bundle that is present but fails verification throws (the
   * gateway does not start on rules it cannot trust); a missing file means the built-in rules.
   */
  constructor(options: RulesRuntimeOptions) {
    this.path = bundlePathOf(options.config, options.dataDir);
    this.#logger = options.logger.child({ component: 'rules' });
    this.#trusted = parseTrustedKeys(options.config.trustedKeys);
    this.#seen = identityOf(this.path);
    if (this.#seen !== null) this.#rules = this.#load();
    if (options.config.pollIntervalMs > 0) {
      this.#timer = setInterval(() => this.check(), options.config.pollIntervalMs);
      this.#timer.unref();
    }
  }

  current(): ActiveRules {
    return this.#rules;
  }

  status(): RulesStatus {
    return { version: this.#rules.version, builtinVersion: this.#rules.builtinVersion, bundle: this.#rules.bundle, path: this.path, error: this.#error };
  }

  #load(): ActiveRules {
    if (this.#trusted.length === 0) throw new RulesBundleError('rules.trustedKeys', `a rule bundle exists at ${this.path} but no publisher key is trusted; add the publisher's public key or remove the file`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (error) {
      throw new RulesBundleError('bundle', `cannot read ${this.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return activeRulesOf(verifyBundle(bytes, this.#trusted));
  }

  /**
   * Looks at the file now; swaps in a new verified bundle, or keeps the active rules and records
   * why not. Returns true when the active rules changed. Called by the poll timer and by tests.
   */
  check(): boolean {
    let identity: FileIdentity | null;
    try {
      identity = identityOf(this.path);
    } catch (error) {
      this.#refuse(`cannot stat ${this.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return false;
    }
    if (sameIdentity(identity, this.#seen)) return false;
    this.#seen = identity;
    if (identity === null) {
      // Deleting the file never falls back to fewer rules: the last good bundle stays until replaced.
      if (this.#rules.bundle) this.#refuse(`bundle file ${this.path} is gone; keeping ${this.#rules.version}`);
      return false;
    }
    let next: ActiveRules;
    try {
      next = this.#load();
    } catch (error) {
      this.#refuse(error instanceof Error ? error.message : String(error));
      return false;
    }
    const active = this.#rules.bundle;
    if (active && next.bundle && Date.parse(next.bundle.issuedAt) < Date.parse(active.issuedAt)) {
      this.#refuse(`rules.issuedAt: bundle ${next.bundle.version} was issued ${next.bundle.issuedAt}, before the active ${active.version} (${active.issuedAt}); refusing a rollback`);
      return false;
    }
    if (active && next.bundle && next.bundle.sha256 === active.sha256) {
      this.#error = null;
      return false;
    }
    const previous = this.#rules.version;
    this.#rules = next;
    this.#error = null;
    this.#logger.info({ previous, version: next.version, keyId: next.bundle?.keyId, sha256: next.bundle?.sha256 }, 'rule bundle activated');
    return true;
  }

  #refuse(reason: string): void {
    if (this.#error !== reason) this.#logger.error({ active: this.#rules.version, reason }, 'rule bundle refused; the last good rules stay active');
    this.#error = reason;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
