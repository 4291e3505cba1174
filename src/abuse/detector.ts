import type { Abuse } from './config.ts';
import { hamming, jaccard, promptFeatures, type PromptFeatures } from './features.ts';

/** Per-key behavioural signals of abuse and model extraction, combined into one score; all state is this process's. */

export const ABUSE_SIGNALS = ['template', 'near-duplicate', 'blocked', 'rate-spike', 'output-ratio', 'topic-spread'] as const;
export type AbuseSignal = (typeof ABUSE_SIGNALS)[number];

/**
 * Weight of each signal (each signal scores 0..1); the abuse score is min(1, Σ weight × signal).
 * The weights add up to more than 1 on purpose: a saturated template sweep alone throttles (0.65 >=
 * throttleAt 0.6) and, while it builds up, flags first; every other signal needs company to flag
 * (near-duplicates 0.3, blocks 0.4, a rate spike 0.2 ...). Suspension (0.95) needs three kinds of
 * evidence, e.g. a template sweep of near-duplicates at a rate spike, or with repeated policy blocks.
 */
export const SIGNAL_WEIGHTS: Readonly<Record<AbuseSignal, number>> = {
  template: 0.65,
  'near-duplicate': 0.3,
  blocked: 0.4,
  'rate-spike': 0.2,
  'output-ratio': 0.15,
  'topic-spread': 0.1,
};

export type AbuseLevel = 'none' | 'flag' | 'throttle' | 'suspend';
const rank: Record<AbuseLevel, number> = { none: 0, flag: 1, throttle: 2, suspend: 3 };

export interface AbuseAssessment {
  score: number;
  signals: Record<AbuseSignal, number>;
  /** The key's standing after this request (a throttle or flag lasts `throttleForMs` past its last trigger). */
  level: AbuseLevel;
  /** Set when this request moved the key to a higher level than it held: raise one alert. */
  escalated: AbuseLevel | null;
  /** Requests per minute the key is cut to while throttled; null otherwise. */
  throttleRequestsPerMinute: number | null;
}

interface KeyState {
  features: PromptFeatures[];
  times: number[];
  blocks: number[];
  minute: number;
  thisMinute: number;
  lastMinute: number;
  /** EWMA of completed minutes' request counts; null until one minute has completed. */
  baseline: number | null;
  /** EWMA of output / input tokens per request; null until a response with usage. */
  outputRatio: number | null;
  flaggedUntil: number;
  throttledUntil: number;
  suspended: boolean;
}

const clamp = (value: number): number => (value < 0 ? 0 : value > 1 ? 1 : value);
const ewmaAlpha = 0.3;

export class AbuseDetector {
  readonly #keys = new Map<string, KeyState>();
  readonly #clock: () => number;

  constructor(
    private readonly config: Abuse,
    now: () => number = Date.now,
  ) {
    this.#clock = now;
  }

  /** Keys with state in this process (bounded by `maxKeys`). */
  get size(): number {
    return this.#keys.size;
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (state) {
      // Map order is insertion order: re-inserting marks the key most recently used.
      this.#keys.delete(key);
    } else {
      state = { features: [], times: [], blocks: [], minute: -1, thisMinute: 0, lastMinute: 0, baseline: null, outputRatio: null, flaggedUntil: 0, throttledUntil: 0, suspended: false };
      while (this.#keys.size >= this.config.maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    }
    this.#keys.set(key, state);
    return state;
  }

  /** Scores one request of `key` (its last user turn) and updates the key's standing. */
  observe(key: string, text: string, now = this.#clock()): AbuseAssessment {
    const state = this.#state(key);
    this.#countRate(state, now);
    this.#expire(state, now);
    const features = promptFeatures(text);
    const signals = this.#signals(state, features, now);
    state.features.push(features);
    state.times.push(now);
    if (state.features.length > this.config.windowSize) {
      state.features.shift();
      state.times.shift();
    }
    let score = 0;
    for (const signal of ABUSE_SIGNALS) score += SIGNAL_WEIGHTS[signal] * signals[signal];
    score = Math.round(clamp(score) * 1000) / 1000;
    const before = this.#level(state, now);
    if (this.config.suspendAt !== null && score >= this.config.suspendAt) state.suspended = true;
    if (score >= this.config.throttleAt) state.throttledUntil = now + this.config.throttleForMs;
    if (score >= this.config.flagAt) state.flaggedUntil = now + this.config.throttleForMs;
    const level = this.#level(state, now);
    return { score, signals, level, escalated: rank[level] > rank[before] ? level : null, throttleRequestsPerMinute: rank[level] >= rank.throttle ? this.config.throttleRequestsPerMinute : null };
  }

  /** After the response: usage for the output-ratio signal, and whether the policy blocked the request. */
  recordOutcome(key: string, outcome: { inputTokens: number | null; outputTokens: number | null; blocked: boolean }, now = this.#clock()): void {
    const state = this.#keys.get(key);
    if (!state) return;
    if (outcome.blocked) {
      state.blocks.push(now);
      if (state.blocks.length > this.config.windowSize) state.blocks.shift();
    }
    if (outcome.outputTokens !== null && outcome.inputTokens !== null && outcome.inputTokens > 0) {
      const ratio = outcome.outputTokens / outcome.inputTokens;
      state.outputRatio = state.outputRatio === null ? ratio : ewmaAlpha * ratio + (1 - ewmaAlpha) * state.outputRatio;
    }
  }

  /** Whether this process suspended the key (the proxy persists it in control.db). */
  suspended(key: string): boolean {
    return this.#keys.get(key)?.suspended === true;
  }

  /** Whether this process holds state for the key (not evicted). */
  tracks(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Forgets a key's history (after an administrator lifted its suspension). */
  reset(key: string): void {
    this.#keys.delete(key);
  }

  #level(state: KeyState, now: number): AbuseLevel {
    if (state.suspended) return 'suspend';
    if (state.throttledUntil > now) return 'throttle';
    if (state.flaggedUntil > now) return 'flag';
    return 'none';
  }

  /** Per-minute counts: the current minute, the previous one, and an EWMA baseline of completed minutes. */
  #countRate(state: KeyState, now: number): void {
    const minute = Math.floor(now / 60_000);
    if (state.minute === -1) state.minute = minute;
    if (minute !== state.minute) {
      // Completed minutes (idle ones count as zero, at most a few so a long pause does not loop).
      const gap = Math.min(minute - state.minute, 10);
      for (let step = 0; step < gap; step += 1) {
        const count = step === 0 ? state.thisMinute : 0;
        state.baseline = state.baseline === null ? count : ewmaAlpha * count + (1 - ewmaAlpha) * state.baseline;
        state.lastMinute = count;
      }
      state.thisMinute = 0;
      state.minute = minute;
    }
    state.thisMinute += 1;
  }

  #expire(state: KeyState, now: number): void {
    const oldest = now - this.config.windowMs;
    while (state.times.length > 0 && state.times[0]! < oldest) {
      state.times.shift();
      state.features.shift();
    }
    while (state.blocks.length > 0 && state.blocks[0]! < oldest) state.blocks.shift();
  }

  #signals(state: KeyState, features: PromptFeatures, now: number): Record<AbuseSignal, number> {
    const signals: Record<AbuseSignal, number> = { template: 0, 'near-duplicate': 0, blocked: 0, 'rate-spike': 0, 'output-ratio': 0, 'topic-spread': 0 };
    signals.blocked = clamp(state.blocks.length / 5);
    signals['output-ratio'] = state.outputRatio === null ? 0 : clamp((state.outputRatio - 4) / 12);
    if (state.baseline !== null) {
      // Requests in the last ~60 s: this minute plus the unexpired share of the previous one.
      const elapsed = (now % 60_000) / 60_000;
      const rate = state.thisMinute + state.lastMinute * (1 - elapsed);
      // 0 at three times the key's own baseline (at least 10 per minute), 1 at eight times.
      signals['rate-spike'] = clamp((rate / Math.max(state.baseline, 10) - 3) / 5);
    }
    if (state.features.length < this.config.minSamples) return signals;
    let near = 0;
    let templated = 0;
    const topics = new Set<number>();
    for (const [index, previous] of state.features.entries()) {
      if (hamming(previous.simhash, features.simhash) <= this.config.nearDuplicateDistance) near += 1;
      if (jaccard(previous.skeleton, features.skeleton) >= this.config.templateSimilarity) templated += 1;
      if (now - state.times[index]! <= 300_000 && previous.topic !== 0) topics.add(previous.topic);
    }
    // Floors keep coincidences quiet: a few similar prompts are normal, a sweep is not.
    signals['near-duplicate'] = clamp((near - 3) / 9);
    signals.template = clamp((templated - 6) / 14);
    signals['topic-spread'] = clamp((topics.size - 15) / 30);
    return signals;
  }
}
