/**
 * Placeholders for replaced values (`<EMAIL_1>`), shared by the scanners of one request.
 *
 * A scanner that replaces a value asks the request's allocator for its placeholder, so the same
 * value gets the same placeholder everywhere in the request. When the policy pseudonymises, the
 * proxy puts a vault-backed allocator (scoped per tenant and conversation, remembered across turns)
 * into `ScanContext.state` under `PLACEHOLDER_ALLOCATOR_KEY` and restores the values in the
 * response; otherwise a request-local allocator is used and nothing is remembered.
 */
export const PLACEHOLDER_ALLOCATOR_KEY = 'placeholder-allocator';

export interface PlaceholderAllocator {
  /**
   * The placeholder for `value` of entity `type` (upper snake case, e.g. EMAIL), e.g. `<EMAIL_1>`.
   * `reversible`: the value may be restored in the response (the `pseudonymise` style); plain
   * placeholders are never restored.
   */
  placeholderFor(type: string, value: string, reversible?: boolean): string;
}

/** Numbers placeholders per type within one request. */
export class RequestPlaceholders implements PlaceholderAllocator {
  private readonly byValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  placeholderFor(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    const known = this.byValue.get(key);
    if (known) return known;
    const next = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, next);
    const placeholder = `<${type}_${next}>`;
    this.byValue.set(key, placeholder);
    return placeholder;
  }
}

/** The request's allocator: the one the proxy put into `state`, or a new request-local one kept there. */
export function placeholderAllocator(state: Map<string, unknown>): PlaceholderAllocator {
  const existing = state.get(PLACEHOLDER_ALLOCATOR_KEY) as PlaceholderAllocator | undefined;
  if (existing) return existing;
  const created = new RequestPlaceholders();
  state.set(PLACEHOLDER_ALLOCATOR_KEY, created);
  return created;
}
