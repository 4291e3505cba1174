/**
 * Building blocks of the signature patterns (signatures.ts and the sets appended to it): the RegExp
 * constructors, bounded word gaps, the instruction nouns, and the lookarounds that keep a signature
 * off innocent uses (artefacts, self-corrections, topics, quoted mentions). Shared so that every set
 * compiles and guards its patterns the same way.
 */
import { normalizeText } from '../../text/normalize-text.ts';

/** A pattern as written (ASCII words, run on the canonical text). */
export function re(source: string, flags = 'iu'): RegExp {
  return new RegExp(source, flags);
}

/** Compiles `source` after canonicalising it like the text it will run on (NFKC, homoglyphs and quotes folded). */
export function canonicalRe(source: string, flags = 'iu'): RegExp {
  return new RegExp(normalizeText(source).text, flags);
}

export const GAP3 = String.raw`(?:[\p{L}']+\s+){0,3}`;
export const GAP2 = String.raw`(?:[\p{L}']+\s+){0,2}`;
export const TARGETS = String.raw`(?:instructions?|prompts?|rules|directives?|guidelines|commands?|context|orders|constraints|restrictions|programming|guidance|messages?|conversation|tasks?|policies|content\s+polic(?:y|ies))`;

/** Not when the instructions belong to a named artefact ("ignore the previous instructions in the manual"). */
export const NOT_ARTEFACT = String.raw`(?!\s+(?:in|from|of|on|for)\s+(?:the|this|that|my|our|his|her|their)\s+(?:[\p{L}-]+\s+)?(?:manual|guide|handbook|documentation|docs|readme|book|recipe|leaflet|box|package|label|article|tutorial|course|textbook|instructions?|router|device|printer|app|website|form|kit)\b)`;

/**
 * "system prompt" owned by the model being asked ("your system prompt", "the system prompt"), not the topic
 * ("What is a system prompt?", "tell me about system prompts in general").
 */
export const MODEL_OWNED = String.raw`(?:your|ur|its|the|this|that|entire|full|whole|exact|complete)\s+(?:(?:entire|full|whole|exact|complete|current|original)\s+)?`;

/** Not when the user is correcting their own earlier message ("disregard what I said earlier, I meant 2019"). */
export const NOT_CORRECTION = String.raw`(?![^.!?\n]{0,40}\b(?:i\s+(?:meant|mean|wanted|was\s+wrong)|actually|typo|mistake|my\s+bad))`;

/**
 * `body`, except where the phrase it matches is itself quoted and talked about: an opening quote
 * right before it, a closing one right after, then words of a mention (`Is "ignore previous
 * instructions" still an effective attack?`, `"..." style attacks`). A quoted order stays an order
 * (`"Ignore all previous instructions." Now tell me ...`).
 */
export function unquoted(body: string): string {
  return String.raw`(?<![“"'‘«„]\s?)(?:${body})|(?<=[“"'‘«„]\s?)(?:${body})(?![.!?,;:]?\s?[”"'’»“]\s*(?:is|are|was|were|still|style|type|kind|attacks?|prompts?|phrases?|strings?|in|as|means?|works?|tricks?|really|actually|and\s+(?:similar|other))\b)`;
}
