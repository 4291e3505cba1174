/**
 * The text format of an event's stored content, written by src/proxy/event-draft.ts and read back by
 * the review views (src/review/redact-opened.ts): each scanned segment as `<origin>: <text>`, joined by
 * newlines, cut at MAX_STORED_CHARS and then marked with TRUNCATION_MARK; in `redacted` mode every
 * finding span is replaced by CONTENT_MASK. One definition, so writer and reader cannot drift apart.
 */
export const MAX_STORED_CHARS = 32_768;
export const TRUNCATION_MARK = '…[truncated]';
export const CONTENT_MASK = '[REDACTED]';

/** What precedes a segment's text on its line. */
export function segmentPrefix(origin: string): string {
  return `${origin}: `;
}
