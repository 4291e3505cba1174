import type { PlaceholderAllocator } from '../scanners/shared/placeholders.ts';
import type { VaultEntry } from './vault-store.ts';

const PLACEHOLDER = /^<([A-Z][A-Z0-9_]*)_(\d+)>$/;

/**
 * The placeholder allocator of one request when the policy pseudonymises: it continues the
 * conversation's numbering (same value, same placeholder across turns) and remembers which
 * placeholders are reversible, so the response can be restored.
 */
export class ConversationPlaceholders implements PlaceholderAllocator {
  readonly #byValue = new Map<string, string>();
  readonly #values = new Map<string, string>();
  readonly #counters = new Map<string, number>();
  readonly #added: VaultEntry[] = [];

  constructor(known: readonly VaultEntry[]) {
    for (const entry of known) this.#remember(entry.type, entry.value, entry.placeholder, true);
  }

  placeholderFor(type: string, value: string, reversible = false): string {
    const key = `${type}\u0000${value}`;
    const existing = this.#byValue.get(key);
    if (existing) {
      if (reversible && !this.#values.has(existing)) {
        this.#values.set(existing, value);
        this.#added.push({ placeholder: existing, type, value });
      }
      return existing;
    }
    const next = (this.#counters.get(type) ?? 0) + 1;
    const placeholder = `<${type}_${next}>`;
    this.#remember(type, value, placeholder, reversible);
    if (reversible) this.#added.push({ placeholder, type, value });
    return placeholder;
  }

  /** Placeholder -> original value, for every reversible placeholder known to the conversation. */
  get restorations(): ReadonlyMap<string, string> {
    return this.#values;
  }

  /** Reversible entries allocated during this request (to persist). */
  get added(): readonly VaultEntry[] {
    return this.#added;
  }

  #remember(type: string, value: string, placeholder: string, reversible: boolean): void {
    this.#byValue.set(`${type}\u0000${value}`, placeholder);
    if (reversible) this.#values.set(placeholder, value);
    const number = Number(PLACEHOLDER.exec(placeholder)?.[2] ?? 0);
    if (number > (this.#counters.get(type) ?? 0)) this.#counters.set(type, number);
  }
}
