import type { Logger } from 'pino';
import { ConversationPlaceholders } from './conversation-placeholders.ts';
import type { VaultScope, VaultStore } from './vault-store.ts';

export interface PseudonymizerSettings {
  ttlSeconds: number;
}

/** Opens a request's view of the vault and persists what the request added. */
export class Pseudonymizer {
  constructor(
    private readonly store: VaultStore,
    private readonly settings: PseudonymizerSettings,
    private readonly logger: Logger,
  ) {}

  /** The allocator for a request; `conversation` null means the mapping lives only as long as the request. */
  begin(tenant: string, conversation: string | null): PseudonymSession {
    const scope = conversation === null ? null : { tenant, conversation };
    return new PseudonymSession(new ConversationPlaceholders(scope ? this.store.load(scope) : []), scope, this);
  }

  persist(scope: VaultScope, session: ConversationPlaceholders): void {
    if (session.added.length === 0) return;
    try {
      this.store.save(scope, session.added, Date.now() + this.settings.ttlSeconds * 1000);
    } catch (error) {
      // The current request is restored from memory either way; later turns would renumber.
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'pseudonym vault: saving the conversation failed');
      throw error;
    }
  }

  purgeExpired(): number {
    return this.store.purgeExpired();
  }

  close(): void {
    this.store.close();
  }
}

export class PseudonymSession {
  constructor(
    readonly allocator: ConversationPlaceholders,
    private readonly scope: VaultScope | null,
    private readonly owner: Pseudonymizer,
  ) {}

  /** Saves the request's new mappings (after the request scan, before the upstream call). */
  commit(): void {
    if (this.scope) this.owner.persist(this.scope, this.allocator);
  }

  get restorations(): ReadonlyMap<string, string> {
    return this.allocator.restorations;
  }
}
