/**
 * Helpers shared by the scanners that ask an LLM judge (`ScannerDeps.judge`): which instances need
 * one, the spotlighted data block the judged text travels in, and strict parsing of the JSON answer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { JudgeClient, ScannerDeps } from '../types.ts';
import type { CancelSignal } from '../../runtime/cancel-signal.ts';

/** Scanner ids that use the judge, and when (by their validated or raw config). */
export function usesJudge(scanner: string, config: unknown): boolean {
  if (scanner === 'ai/custom-judge') return true;
  if (scanner === 'ai/prompt-injection' || scanner === 'ai/indirect-injection') {
    const judge = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).judge : undefined;
    return typeof judge === 'object' && judge !== null && (judge as Record<string, unknown>).enabled === true;
  }
  if (scanner === 'safety/topics') {
    const topics = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).topics : undefined;
    return Array.isArray(topics) && topics.some((topic) => typeof topic === 'object' && topic !== null && (topic as Record<string, unknown>).judge === true);
  }
  return false;
}

/** The judge, or a clear error naming the setting that provides it. */
export function requireJudge(deps: ScannerDeps, what: string): JudgeClient {
  if (!deps.judge) throw new Error(`${what} needs an LLM judge: set judge.model in the config to a model served by one of the routes`);
  return deps.judge;
}

/**
 * Per-process secret for the data-block tag. The tag is an HMAC of the text, so the same text gets the
 * same prompt (the judge cache works) while an attacker cannot predict the tag to close the block early.
 */
const TAG_KEY = randomBytes(32);

export function dataTag(text: string): string {
  return createHmac('sha256', TAG_KEY).update(text).digest('hex').slice(0, 16);
}

/** Wraps untrusted text in a tagged block the judge is told to treat as data only. */
export function dataBlock(text: string): { tag: string; block: string } {
  const tag = dataTag(text);
  return { tag, block: `<data-${tag}>\n${text}\n</data-${tag}>` };
}

/** Most characters of a segment sent to the judge (head and tail kept); bounds cost and answer time. */
export const JUDGE_TEXT_LIMIT = 8_000;

export function clipForJudge(text: string): string {
  if (text.length <= JUDGE_TEXT_LIMIT) return text;
  const half = JUDGE_TEXT_LIMIT / 2;
  return `${text.slice(0, half)}\n[... ${text.length - JUDGE_TEXT_LIMIT} characters omitted ...]\n${text.slice(-half)}`;
}

/** Longest answer inspected for a JSON object. */
const ANSWER_LIMIT = 4_096;

/**
 * The single JSON object in a judge answer (optionally inside a ``` fence), or null: anything else,
 * several objects, or trailing prose counts as unparseable ("unknown").
 */
export function parseJudgeJson(answer: string): Record<string, unknown> | null {
  if (answer.length > ANSWER_LIMIT) return null;
  let text = answer.trim();
  const fence = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text);
  if (fence) text = fence[1]!.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A confidence in [0,1] from the answer, or null when missing or out of range. */
export function confidenceOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

/** Why a judge call produced nothing, for notes and logs (never content). */
export function judgeFailure(error: unknown, signal: CancelSignal): 'timeout' | 'aborted' | 'error' {
  if (signal.aborted) return 'aborted';
  const name = error instanceof Error ? error.name : '';
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'error';
}
