import type { PriceEntry } from './budget-config.ts';

/** Prices per million tokens of one model; costs are integer micro-units of the currency. */
export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
  currency: string;
}

/** `*` glob match without regular expressions (linear backtracking on the last star). */
function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === value[v]) {
      p += 1;
      v += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = v;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      mark += 1;
      v = mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** The price list: first matching entry wins, like routes. */
export function createPriceList(entries: readonly PriceEntry[]): (model: string) => Price | null {
  return (model) => {
    const entry = entries.find((candidate) => globMatch(candidate.match, model));
    return entry ? { inputPerMillion: entry.inputPerMillion, outputPerMillion: entry.outputPerMillion, currency: entry.currency } : null;
  };
}

/**
 * Cost of a call in micro-units (1e-6 of the currency): tokens × price per million tokens is
 * exactly that, so counters stay integers (Redis INCRBY) and never drift.
 */
export function costMicros(price: Price, inputTokens: number, outputTokens: number): number {
  return Math.round(inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion);
}

/** `12.345678` → `"12.35"`: micro-units shown with cents. */
export function formatMicros(micros: number): string {
  return (micros / 1_000_000).toFixed(2);
}
