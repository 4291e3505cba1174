import { newContentKey, openContent, periodOf, sealContent, sealedKeyId, unwrapContentKey } from '../crypto/content-keys.ts';
import type { ContentKey, KeyPeriod } from '../crypto/content-keys.ts';
import type { MasterKeyring } from '../crypto/master-key.ts';
import type { VerifyResult } from '../audit/verify.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { ContentStorage } from './content-storage.ts';
import { DEFAULT_PARTITION } from './event-row.ts';
import type { AuditedEventStore, EventQuery, EventStoreStats, GatewayEvent, StoreVerifyOptions } from './types.ts';

/** After failing to get a data key, events keep no content for this long before the key is tried again. */
const KEY_RETRY_MS = 30_000;

export interface ContentSealingOptions {
  inner: AuditedEventStore;
  storage: ContentStorage;
  /** Wraps the data keys (src/crypto/master-key.ts); loaded on first use. */
  keyring: () => MasterKeyring;
  keyPeriod: KeyPeriod;
  logger: Logger;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * The outermost event store (open.ts): applies each event's content mode before anything is
 * written or spooled. `none` drops the content; `redacted` keeps the redacted text; `full`
 * seals the original text with AES-256-GCM under the tenant's data key for the current period
 * (src/crypto/content-keys.ts), so plaintext never reaches the database or the spool file.
 * append() stays synchronous: with the period's key cached (the usual case) it seals at once;
 * otherwise events wait here, in order, while the key is loaded or created, and flush()/close()
 * wait for them. A key that cannot be had (destroyed period, database error) fails closed: the
 * event is kept without its content (logged without content).
 */
export class ContentSealingStore implements AuditedEventStore {
  private readonly inner: AuditedEventStore;
  private readonly storage: ContentStorage;
  private readonly keyring: () => MasterKeyring;
  private readonly keyPeriod: KeyPeriod;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Keys of the current period by partition; cleared when the period changes. */
  private readonly keys = new Map<string, ContentKey | null>();
  private keysPeriod = '';
  private readonly waiting: GatewayEvent[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(options: ContentSealingOptions) {
    this.inner = options.inner;
    this.storage = options.storage;
    this.keyring = options.keyring;
    this.keyPeriod = options.keyPeriod;
    this.log = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** Where data keys and content live (the retention job uses it). */
  get contentStorage(): ContentStorage {
    return this.storage;
  }

  append(event: GatewayEvent): void {
    if (this.closed) throw new Error('event store is closed: append() called after close()');
    if (this.waiting.length === 0) {
      const ready = this.prepare(event);
      if (ready !== null) {
        this.inner.append(ready);
        return;
      }
    }
    this.waiting.push(event);
    this.draining ??= this.drain();
  }

  async flush(): Promise<void> {
    while (this.draining !== null) await this.draining;
    await this.inner.flush();
  }

  get(id: string): Promise<GatewayEvent | null> {
    return this.inner.get(id);
  }

  list(query?: EventQuery): Promise<GatewayEvent[]> {
    return this.inner.list(query);
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  stats(): EventStoreStats {
    const inner = this.inner.stats?.() ?? { queued: 0, dropped: 0 };
    return { ...inner, queued: inner.queued + this.waiting.length };
  }

  isAccepting(): boolean {
    return this.inner.isAccepting?.() ?? true;
  }

  verifyChain(options?: StoreVerifyOptions): Promise<VerifyResult> {
    return this.inner.verifyChain(options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.draining !== null) await this.draining;
    this.closed = true;
    await this.inner.close();
    await this.storage.close();
  }

  /**
   * The original content of a `full` event ({ request, response }); null when it has none or
   * none was sealed. Throws when its key was destroyed by retention or the ciphertext was altered.
   */
  async revealContent(event: GatewayEvent): Promise<{ request?: string; response?: string } | null> {
    const sealed = event.content?.sealed;
    if (sealed === undefined) return event.content ?? null;
    const keyId = sealedKeyId(sealed);
    const stored = keyId === null ? null : await this.storage.findKey(keyId);
    if (stored === null) throw new Error(`sealed content of event ${event.id}: its data key is unknown`);
    const partition = event.tenant ?? DEFAULT_PARTITION;
    if (stored.partition !== partition) throw new Error(`sealed content of event ${event.id}: its data key belongs to another tenant`);
    return JSON.parse(openContent(unwrapContentKey(this.keyring(), stored), partition, event.id, sealed)) as { request?: string; response?: string };
  }

  /** The event as it may be stored, or null when it needs a key not loaded yet. */
  private prepare(event: GatewayEvent): GatewayEvent | null {
    if (event.contentMode === 'none') return event.content === null ? event : { ...event, content: null };
    if (event.contentMode !== 'full' || event.content === null || event.content.sealed !== undefined) return event;
    const partition = event.tenant ?? DEFAULT_PARTITION;
    this.rollPeriod();
    if (!this.keys.has(partition)) return null;
    const key = this.keys.get(partition)!;
    // No key for this period (destroyed, or the database failed): fail closed, keep no content.
    if (key === null) return { ...event, content: null };
    const { request, response } = event.content;
    const plaintext = JSON.stringify({ ...(request !== undefined ? { request } : {}), ...(response !== undefined ? { response } : {}) });
    return { ...event, content: { sealed: sealContent(key, partition, event.id, plaintext) } };
  }

  private rollPeriod(): void {
    const period = periodOf(this.now(), this.keyPeriod);
    if (period !== this.keysPeriod) {
      this.keys.clear();
      this.keysPeriod = period;
    }
  }

  /** Loads keys for the waiting events, in order, and hands them to the inner store. */
  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const event = this.waiting[0]!;
        const ready = this.prepare(event);
        if (ready === null) {
          await this.loadKey(event.tenant ?? DEFAULT_PARTITION);
          continue;
        }
        this.waiting.shift();
        this.inner.append(ready);
      }
    } finally {
      this.draining = null;
    }
  }

  private async loadKey(partition: string): Promise<void> {
    const period = this.keysPeriod;
    let key: ContentKey | null = null;
    try {
      let stored = await this.storage.getKey(partition, period);
      if (stored === null) {
        const fresh = newContentKey(this.keyring(), partition, period);
        stored = await this.storage.putKey({ partition, period, keyId: fresh.key.keyId, wrapped: fresh.wrapped, createdAt: new Date(this.now()).toISOString(), destroyedAt: null });
        this.log.info({ tenant: partition, period, contentKeyId: stored.keyId }, 'content data key ready');
      }
      if (stored.wrapped === null) this.log.error({ tenant: partition, period, contentKeyId: stored.keyId }, 'content data key of the current period was destroyed; storing events without content');
      else key = unwrapContentKey(this.keyring(), stored);
    } catch (err) {
      this.log.error({ tenant: partition, period, err: { message: (err as Error).message } }, 'no content data key (events keep no content until it is available)');
      // Tried again after a while rather than for every event meanwhile.
      setTimeout(() => {
        if (this.keys.get(partition) === null) this.keys.delete(partition);
      }, KEY_RETRY_MS).unref();
    }
    if (period === this.keysPeriod) this.keys.set(partition, key);
  }
}
