/**
 * Restoring pseudonymised values in model output: `<PERSON_1>` becomes the value the client sent.
 * Placeholders the conversation does not know are left as they are.
 */
const ANY_PLACEHOLDER = /<[A-Z][A-Z0-9_]*_\d+>/g;
/** Longest placeholder we ever expect; a `<` further back than this cannot start a split one. */
const MAX_PLACEHOLDER = 64;
const PARTIAL = /^<[A-Z0-9_]*$/;

/** Replaces known placeholders; `json` escapes values for the inside of a JSON string (tool-call arguments). */
export function restorePlaceholders(text: string, restorations: ReadonlyMap<string, string>, json = false): string {
  if (restorations.size === 0 || !text.includes('<')) return text;
  return text.replace(ANY_PLACEHOLDER, (placeholder) => {
    const value = restorations.get(placeholder);
    if (value === undefined) return placeholder;
    return json ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** The largest end <= `end` that does not cut a placeholder in two (text after it may complete one). */
export function placeholderSafeEnd(text: string, end: number): number {
  const from = Math.max(0, end - MAX_PLACEHOLDER);
  const lt = text.lastIndexOf('<', end - 1);
  if (lt < from) return end;
  return PARTIAL.test(text.slice(lt, end)) ? lt : end;
}
