import type { PriceEntry } from './budget-config.ts';
import { globMatch } from '../text/glob.ts';

/** Prices per million tokens of one model; costs are integer micro-units of the currency. */
export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
  currency: string;
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
