/**
 * Labelled review items as classification rows, the format of /work/shared/data/README.md:
 * `{"text", "label": 0|1, "category", "source": "bulwark-review:<tenant>"}`. Label 1 = a true
 * positive. The text is the item's text in the redacted form (item-text.ts): the stored content
 * for `redacted` tenants, opened and masked for `full` ones; every span a scanner found is
 * `[REDACTED]` (see README: a true positive's row keeps its context, not the matched text).
 */
import type { FindingRecord, GatewayEvent } from '../store/types.ts';
import { familyOf, type Family } from './families.ts';
import { queuedText, type ItemText } from './item-text.ts';
import type { ReviewItem } from './types.ts';

export interface DatasetRow {
  text: string;
  label: 0 | 1;
  category: string;
  source: string;
}

/** Categories of the shared classification data, plus the families it has no name for. */
export const datasetCategories = ['prompt_injection', 'jailbreak', 'indirect_injection', 'harmful_request', 'toxic', 'benign', 'benign_hard', 'system_prompt_leak', 'pii', 'secret', 'policy_rule'] as const;

const categoryOfFamily: Record<Family, (typeof datasetCategories)[number]> = {
  prompt_injection: 'prompt_injection',
  jailbreak: 'jailbreak',
  indirect_injection: 'indirect_injection',
  system_prompt_leak: 'system_prompt_leak',
  harmful_request: 'harmful_request',
  toxic: 'toxic',
  pii: 'pii',
  secret: 'secret',
  document: 'secret',
  link: 'policy_rule',
  hidden_text: 'prompt_injection',
  size: 'policy_rule',
  custom_rule: 'policy_rule',
  budget: 'policy_rule',
  abuse: 'policy_rule',
  other: 'policy_rule',
};

export interface ExportResult {
  rows: DatasetRow[];
  /**
   * Labelled items left out, by reason: no content stored (mode none), `full` content shredded by
   * retention (key destroyed or content cleared), `full` content that could not be opened.
   */
  skipped: { noContent: number; shredded: number; unreadable: number; needsPolicyChange: number; noFinding: number };
}

/** The finding the label is about: the first that acted (not `log`), else the first. */
export function primaryFinding(event: GatewayEvent): FindingRecord | undefined {
  return event.findings.find((finding) => finding.action !== 'log') ?? event.findings[0];
}

/**
 * One row per labelled item. True positive: label 1, category from the primary finding's family;
 * false positive: label 0, category `benign_hard` (benign text a detector fired on). Items labelled
 * `needs-policy-change` and events without text are skipped and counted. `texts` (by item id, from
 * `itemTexts`) gives each item's text; an item without one gets its queued content (`full` ones: none, counted unreadable).
 */
export function toDataset(items: readonly ReviewItem[], texts?: ReadonlyMap<string, ItemText>): ExportResult {
  const rows: DatasetRow[] = [];
  const skipped = { noContent: 0, shredded: 0, unreadable: 0, needsPolicyChange: 0, noFinding: 0 };
  for (const item of items) {
    if (item.label === null) continue;
    if (item.label === 'needs-policy-change') {
      skipped.needsPolicyChange += 1;
      continue;
    }
    const finding = primaryFinding(item.event);
    if (item.label === 'true-positive' && !finding) {
      skipped.noFinding += 1;
      continue;
    }
    const given = texts?.get(item.id) ?? queuedText(item);
    if (!given.available) {
      skipped[given.reason === 'none' ? 'noContent' : given.reason] += 1;
      continue;
    }
    const text = textOf(given, finding);
    if (text === null) {
      skipped.noContent += 1;
      continue;
    }
    const label = item.label === 'true-positive' ? 1 : 0;
    rows.push({ text, label, category: label === 1 ? categoryOfFamily[familyOf(finding!.scanner, finding!.ruleId)] : 'benign_hard', source: `bulwark-review:${item.tenant}` });
  }
  return { rows, skipped };
}

/** The text of the phase the finding is in (the response for assistant findings), else the request. */
function textOf(content: { request?: string; response?: string }, finding: FindingRecord | undefined): string | null {
  const text = finding?.origin === 'assistant' ? (content.response ?? content.request) : (content.request ?? content.response);
  return text !== undefined && text.length > 0 ? text : null;
}
