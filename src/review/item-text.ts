/**
 * The text a reviewer and the dataset export see for a review item, always in the `redacted`
 * form: the stored content for `redacted` tenants; for `full` tenants (queued without content,
 * src/proxy/gateway.ts) the sealed content opened from the event store as the admin content route
 * opens it, then masked (redact-opened.ts). The original text stays behind `events:content`.
 * Never throws for one item: content that cannot be had is a reason, so one bad item does not
 * stop an export.
 */
import type { GatewayEvent } from '../store/types.ts';
import { redactOpened, type Fingerprinter } from './redact-opened.ts';
import type { SealedContentSource } from './sealed-content.ts';
import type { ReviewItem } from './types.ts';

export type ItemText =
  /** `stored`: the redacted content as queued; `opened`: `full` content opened and masked. */
  | { available: true; from: 'stored' | 'opened'; request?: string; response?: string }
  /**
   * `none`: nothing stored (content mode none, or no text scanned); `shredded`: retention
   * destroyed the data key or cleared the content; `unreadable`: anything else (no event
   * store, event missing, another tenant's, altered ciphertext), with the reason.
   */
  | { available: false; reason: 'none' | 'shredded' | 'unreadable'; detail: string };

/** Opens the event store side on first need; the caller closes what it returned. */
export type SealedContentOpener = () => SealedContentSource;

/** Texts of several items, opening the event store once (only when an item needs it). */
export async function itemTexts(items: readonly ReviewItem[], opener: SealedContentOpener | undefined): Promise<Map<string, ItemText>> {
  const texts = new Map<string, ItemText>();
  let source: SealedContentSource | Error | undefined;
  try {
    for (const item of items) {
      if (opener === undefined || !isSealed(item.event)) {
        texts.set(item.id, queuedText(item));
        continue;
      }
      if (source === undefined) {
        try {
          source = opener();
        } catch (error) {
          source = error instanceof Error ? error : new Error(String(error));
        }
      }
      texts.set(item.id, source instanceof Error ? unreadable(`cannot open the event store: ${source.message}`) : await openedText(item, source));
    }
  } finally {
    if (source !== undefined && !(source instanceof Error)) await source.close().catch(() => {});
  }
  return texts;
}

/** Queued `full` events carry no content; a sealed one (not queued that way today) is opened too. */
function isSealed(event: GatewayEvent): boolean {
  return event.contentMode === 'full' || event.content?.sealed !== undefined;
}

/** The item's text from review.db alone: its redacted content; a `full` item's is sealed in the event store, so unreadable here. */
export function queuedText(item: ReviewItem): ItemText {
  const { event } = item;
  if (isSealed(event)) return unreadable('the content is sealed (full content mode) and this view has no event store to open it from');
  const { request, response } = event.content ?? {};
  if (!request && !response) return { available: false, reason: 'none', detail: event.contentMode === 'none' ? 'the tenant stores no content (content mode none)' : 'no content was stored for this event' };
  return { available: true, from: 'stored', ...(request ? { request } : {}), ...(response ? { response } : {}) };
}

async function openedText(item: ReviewItem, source: SealedContentSource): Promise<ItemText> {
  let stored: GatewayEvent | null;
  try {
    stored = await source.get(item.eventId);
  } catch (error) {
    return unreadable(`cannot read event ${item.eventId}: ${messageOf(error)}`);
  }
  if (stored === null) return unreadable(`event ${item.eventId} is not in the event store`);
  // The item names its tenant; an event of any other tenant is never opened for it.
  if (stored.id !== item.eventId || (stored.tenant ?? 'default') !== item.tenant) return unreadable(`event ${item.eventId} does not belong to tenant ${item.tenant}`);
  let opened: { request?: string; response?: string } | null;
  try {
    opened = await source.revealContent(stored);
  } catch (error) {
    const message = messageOf(error);
    if (/was destroyed/.test(message)) return { available: false, reason: 'shredded', detail: `retention destroyed the data key of this content (${message})` };
    return unreadable(`the sealed content does not open: ${message}`);
  }
  if (opened === null || (!opened.request && !opened.response)) return { available: false, reason: 'shredded', detail: 'the event store holds no content for this event: retention cleared it (or no data key was available when it was recorded)' };
  let prints: Fingerprinter[] = [];
  try {
    prints = source.fingerprinters();
  } catch {
    // Without fingerprints every candidate place of a finding is masked (redact-opened.ts).
  }
  // The stored event's findings are the chained record; the queued copy's are the same, and masking both costs nothing.
  const masked = redactOpened(opened, [...stored.findings, ...item.event.findings], prints);
  return { available: true, from: 'opened', ...(masked.request ? { request: masked.request } : {}), ...(masked.response ? { response: masked.response } : {}) };
}

function unreadable(detail: string): ItemText {
  return { available: false, reason: 'unreadable', detail };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
