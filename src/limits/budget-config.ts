import { z } from 'zod';

/** Config of budgets: the price list (`pricing`) and how budgets treat models without a price (`budgets`). */

export const PriceEntry = z
  .object({
    match: z.string().min(1).max(256).describe('Model name or `*` glob, matched like `routes[].match` against the model the client asked for; the first matching entry wins.'),
    inputPerMillion: z.number().min(0).max(1_000_000).describe('Price of one million input (prompt) tokens.'),
    outputPerMillion: z.number().min(0).max(1_000_000).describe('Price of one million output (completion) tokens.'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter currency code such as USD').default('USD').describe('Currency of both prices; a budget only counts models priced in its own currency.'),
  })
  .strict();
export type PriceEntry = z.infer<typeof PriceEntry>;

export const Pricing = z.array(PriceEntry).default([]).describe('Price per model, used to turn upstream token usage into spend against budgets (set with `bulwark budgets set`).');

export const Budgets = z
  .object({
    unpricedModels: z.enum(['block', 'allow-and-log']).default('block').describe('A request to a model with no `pricing` entry (in the budget\'s currency) while a budget applies to the caller: refuse with 403 BULWARK_MODEL_UNPRICED, or serve it uncounted and log a warning (once per model per process). Callers without budgets are never affected.'),
    defaultOutputTokens: z.number().int().min(0).max(1_000_000).default(512).describe('Output tokens assumed before the call when the request sets no `max_tokens`; the estimate decides whether a call would pass a hard budget.'),
  })
  .strict();
export type Budgets = z.infer<typeof Budgets>;
