/**
 * The review operations, for the CLI (`bulwark review ...`) and the admin API (which wires HTTP
 * routes to these). Every operation works on review.db in a data directory; nothing here logs or
 * returns matched text: item texts are in the redacted form, `full` content opened from the event
 * store and masked (item-text.ts), so whoever may review sees no more than a `redacted` tenant stores.
 */
import { writeFileSync } from 'node:fs';
import { toDataset, type ExportResult } from './export.ts';
import { itemTexts, type ItemText, type SealedContentOpener } from './item-text.ts';
import { ReviewStore } from './review-store.ts';
import { reviewLabels, type AllowEntry, type ItemQuery, type ReviewItem, type ReviewLabel } from './types.ts';

export class ReviewError extends Error {}

export interface AllowRequest {
  /** Review item id (or its event id). */
  item: string;
  scope: 'tenant' | 'policy';
  reviewer: string;
  comment?: string;
  /** Index into the event's findings; default: every finding that acted and has a fingerprint. */
  finding?: number;
}

export interface ShownItem {
  item: ReviewItem;
  text: ItemText;
  history: ReturnType<ReviewStore['labelHistory']>;
  allow: AllowEntry[];
}

export interface ReviewServiceOptions {
  /** Opens `full` content (sealed in the event store) for show and export; without it those items have no text. */
  content?: SealedContentOpener;
}

export interface ReviewService {
  list(query?: ItemQuery): ReviewItem[];
  /** One item with its text in the redacted form (or why there is none: e.g. shredded by retention). */
  show(item: string): Promise<ShownItem>;
  label(item: string, label: string, reviewer: string, comment: string): ReviewItem;
  /** Labels the item false-positive (when it is not yet) and adds allow entries for its findings, in one step. */
  allow(request: AllowRequest): AllowEntry[];
  allowEntries(): AllowEntry[];
  removeAllow(id: string): boolean;
  /** Labelled items (optionally of a period or tenant) as dataset rows, written as JSONL when `out` is given. */
  exportDataset(query?: Omit<ItemQuery, 'label'>, out?: string): Promise<ExportResult>;
  close(): void;
}

export function openReviewService(dataDir: string, options: ReviewServiceOptions = {}): ReviewService {
  const store = ReviewStore.open(dataDir);
  const need = (id: string): ReviewItem => {
    const item = store.getItem(id);
    if (!item) throw new ReviewError(`no review item ${JSON.stringify(id)} (give an item id rv_... or its event id)`);
    return item;
  };
  const checkReviewer = (reviewer: string): string => {
    const trimmed = reviewer.trim();
    if (!/^[A-Za-z0-9._@+-]{1,100}$/.test(trimmed)) throw new ReviewError(`reviewer: expected an id of 1-100 letters, digits or ._@+-, got ${JSON.stringify(reviewer)}`);
    return trimmed;
  };
  return {
    list: (query) => store.listItems(query),
    async show(id) {
      const item = need(id);
      const text = (await itemTexts([item], options.content)).get(item.id)!;
      return { item, text, history: store.labelHistory(item.id), allow: store.listAllow().filter((entry) => entry.itemId === item.id) };
    },
    label(id, label, reviewer, comment) {
      if (!(reviewLabels as readonly string[]).includes(label)) throw new ReviewError(`label: expected one of ${reviewLabels.join(', ')}, got ${JSON.stringify(label)}`);
      const item = need(id);
      store.label(item.id, label as ReviewLabel, checkReviewer(reviewer), comment);
      return need(item.id);
    },
    allow(request) {
      const reviewer = checkReviewer(request.reviewer);
      const item = need(request.item);
      if (item.label === 'true-positive') throw new ReviewError(`item ${item.id} is labelled true-positive; relabel it false-positive first`);
      const findings = request.finding !== undefined ? [item.event.findings[request.finding]] : item.event.findings.filter((finding) => finding.action !== 'log');
      if (request.finding !== undefined && !findings[0]) throw new ReviewError(`finding: item ${item.id} has ${item.event.findings.length} finding(s), no index ${request.finding}`);
      const usable = findings.filter((finding) => finding?.matchFingerprint !== undefined);
      if (usable.length === 0) throw new ReviewError(`item ${item.id} has no finding with a match fingerprint to allow (budget and abuse alerts, and events recorded before fingerprints, cannot be allow-listed)`);
      const comment = request.comment ?? '';
      return store.db.transaction(() => {
        if (item.label !== 'false-positive') store.label(item.id, 'false-positive', reviewer, comment || 'allow-listed');
        return usable.map((finding) =>
          store.addAllow({
            scope: request.scope,
            ...(request.scope === 'tenant' ? { tenant: item.tenant } : { policy: item.policy }),
            instance: finding!.instance,
            ruleId: finding!.ruleId,
            fingerprint: finding!.matchFingerprint!,
            itemId: item.id,
            createdBy: reviewer,
            comment,
          }),
        );
      })();
    },
    allowEntries: () => store.listAllow(),
    removeAllow: (id) => store.removeAllow(id),
    async exportDataset(query = {}, out) {
      const labelled = store.listItems(query).filter((item) => item.label !== null).reverse();
      const texts = await itemTexts(labelled.filter((item) => item.label !== 'needs-policy-change'), options.content);
      const result = toDataset(labelled, texts);
      if (out !== undefined) writeFileSync(out, result.rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
      return result;
    },
    close: () => store.close(),
  };
}
