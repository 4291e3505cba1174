import type { Logger } from 'pino';
import { ConversationPlaceholders } from './conversation-placeholders.ts';
import type { VaultEntry, VaultScope, VaultStore } from './vault-store.ts';

export interface PseudonymizerSettings {
  ttlSeconds: number;
  /** How often expired rows are deleted (0: only when `purgeExpired` is called). */
  purgeIntervalMs?: number;
}

/**
 * Opens a request's view of the vault and persists what the request added. With a synchronous
 * store (SQLite) `begin` and `commit` answer synchronously; with PostgreSQL they return promises.
 */
export class Pseudonymizer {
  readonly #timer: NodeJS.Timeout | null;
  #purging = false;

  constructor(
    private readonly store: VaultStore,
    private readonly settings: PseudonymizerSettings,
    private readonly logger: Logger,
  ) {
    const every = settings.purgeIntervalMs ?? 0;
    this.#timer = every > 0 ? setInterval(() => void this.#purgeQuietly(), every) : null;
    this.#timer?.unref();
  }

  get kind(): VaultStore['kind'] {
    return this.store.kind;
  }

  /** The allocator for a request; `conversation` null means the mapping lives only as long as the request. */
  begin(tenant: string, conversation: string | null): PseudonymSession | Promise<PseudonymSession> {
    if (conversation === null) return new PseudonymSession(new ConversationPlaceholders([]), null, null, this);
    const scope = { tenant, conversation };
    const loaded = this.store.load(scope);
    if (Array.isArray(loaded)) return this.#session(scope, loaded);
    return loaded.then((entries) => this.#session(scope, entries));
  }

  #session(scope: VaultScope, entries: readonly VaultEntry[]): PseudonymSession {
    let expiresAt: number | null = null;
    for (const entry of entries) if (entry.expiresAt !== undefined && (expiresAt === null || entry.expiresAt < expiresAt)) expiresAt = entry.expiresAt;
    return new PseudonymSession(new ConversationPlaceholders(entries), scope, expiresAt, this);
  }

  /**
   * Saves the request's new mappings; with nothing new it still extends a conversation whose
   * expiry is less than half a TTL away (the TTL runs from the last use, at most one extra write per half TTL).
   */
  persist(scope: VaultScope, session: ConversationPlaceholders, loadedExpiry: number | null): void | Promise<void> {
    const ttlMs = this.settings.ttlSeconds * 1000;
    const now = Date.now();
    if (session.added.length === 0 && (loadedExpiry === null || loadedExpiry - now > ttlMs / 2)) return;
    const fail = (error: unknown): never => {
      // The current request is restored from memory either way; later turns would renumber.
      this.logger.error({ err: error instanceof Error ? error.message : String(error), vault: this.store.kind }, 'pseudonym vault: saving the conversation failed');
      throw error;
    };
    try {
      const saved = this.store.save(scope, session.added, now + ttlMs);
      return saved instanceof Promise ? saved.catch(fail) : saved;
    } catch (error) {
      return fail(error);
    }
  }

  purgeExpired(): number | Promise<number> {
    return this.store.purgeExpired();
  }

  async #purgeQuietly(): Promise<void> {
    if (this.#purging) return;
    this.#purging = true;
    try {
      const removed = await this.store.purgeExpired();
      if (removed > 0) this.logger.debug({ removed, vault: this.store.kind }, 'pseudonym vault: purged expired rows');
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), vault: this.store.kind }, 'pseudonym vault: purging expired rows failed; retrying at the next interval');
    } finally {
      this.#purging = false;
    }
  }

  close(): void | Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    return this.store.close();
  }
}

export class PseudonymSession {
  constructor(
    readonly allocator: ConversationPlaceholders,
    private readonly scope: VaultScope | null,
    private readonly loadedExpiry: number | null,
    private readonly owner: Pseudonymizer,
  ) {}

  /** Saves the request's new mappings (after the request scan, before the upstream call); a promise with PostgreSQL. */
  commit(): void | Promise<void> {
    if (this.scope) return this.owner.persist(this.scope, this.allocator, this.loadedExpiry);
  }

  get restorations(): ReadonlyMap<string, string> {
    return this.allocator.restorations;
  }
}
