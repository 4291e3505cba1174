/**
 * The LLM judge scanners ask (`ScannerDeps.judge`): one OpenAI-format chat body sent through the
 * gateway's own upstream client and routes (translated when the route's provider speaks Anthropic),
 * bounded by `judge.timeoutMs`, answers cached in an LRU keyed by a hash of (system, user). Prompt
 * and answer text are never logged.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Judge, Route } from '../config/schema.ts';
import type { UpstreamClient } from '../providers/upstream-client.ts';
import type { JudgeClient } from '../scanners/types.ts';
import { dialects } from './dialects.ts';
import { readBodyText } from './read-body.ts';

/** Largest judge response body read (the answer itself is a few dozen tokens). */
const BODY_LIMIT = 1 << 20;

export interface JudgeStats {
  calls: number;
  cacheHits: number;
  failures: number;
}

export interface GatewayJudge extends JudgeClient {
  stats(): JudgeStats;
}

export interface JudgeClientOptions {
  config: Judge;
  route: Route;
  upstream: UpstreamClient;
  logger: Logger;
}

/** A small LRU over a Map (insertion order = recency). */
class Lru {
  readonly #entries = new Map<string, string>();
  constructor(readonly capacity: number) {}
  get(key: string): string | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: string): void {
    if (this.capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/** Cache key: SHA-256 over both parts, length-prefixed so (a, bc) and (ab, c) differ. */
export function judgeCacheKey(system: string, user: string): string {
  return createHash('sha256').update(`${system.length}:${system}\u0000${user}`).digest('hex');
}

/** The text of a chat response in either wire format (text parts joined). */
export function answerText(format: 'openai' | 'anthropic', body: Record<string, unknown>): string {
  return dialects[format]
    .toCanonicalResponse(body)
    .content.map((part) => (part.type === 'text' ? part.text : ''))
    .join('');
}

/** Creates the judge client; `route` is the route that serves `config.model`. */
export function createJudgeClient(options: JudgeClientOptions): GatewayJudge {
  const { config, route, upstream, logger } = options;
  const cache = new Lru(config.cacheSize);
  const stats: JudgeStats = { calls: 0, cacheHits: 0, failures: 0 };
  let sequence = 0;
  return {
    stats: () => ({ ...stats }),
    async complete(request) {
      const key = judgeCacheKey(request.system, request.user);
      const cached = cache.get(key);
      if (cached !== undefined) {
        stats.cacheHits++;
        return cached;
      }
      stats.calls++;
      // One controller aborted by the caller's signal or by our own timer. Not AbortSignal.any +
      // AbortSignal.timeout: on Node 20 the timeout signal is only weakly held and can be collected
      // before it fires, leaving the call to the upstream's much longer timeout.
      const controller = new AbortController();
      const signal = controller.signal;
      const onCallerAbort = (): void => controller.abort(request.signal.reason);
      if (request.signal.aborted) onCallerAbort();
      else request.signal.addEventListener('abort', onCallerAbort, { once: true });
      const timer = setTimeout(() => controller.abort(new DOMException(`judge call exceeded ${config.timeoutMs} ms`, 'TimeoutError')), config.timeoutMs);
      const started = performance.now();
      const openaiBody = {
        model: config.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        max_tokens: Math.max(1, Math.min(request.maxTokens, config.maxTokens)),
        temperature: 0,
        stream: false,
      };
      try {
        const result = await upstream.call(route, {
          operation: 'chat',
          model: config.model,
          stream: false,
          signal,
          requestId: `judge-${++sequence}`,
          body: (format, model) => (format === 'openai' ? { ...openaiBody, model } : dialects[format].fromCanonicalRequest({ ...dialects.openai.toCanonicalRequest(openaiBody), model })),
        });
        if (!result.ok) {
          if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('judge call aborted');
          throw new Error(`judge upstream failed (${result.kind}${result.status ? ` ${result.status}` : ''})`);
        }
        const text = await readBodyText(result.body, BODY_LIMIT);
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // JSON.parse messages quote the input: replace them, so no answer text reaches the logs.
          throw new Error('judge upstream returned a body that is not JSON');
        }
        const answer = answerText(result.format, parsed);
        cache.set(key, answer);
        if (logger.isLevelEnabled('debug')) logger.debug({ judge: config.model, provider: result.provider.id, ms: Math.round(performance.now() - started), answerChars: answer.length }, 'judge call');
        return answer;
      } catch (error) {
        stats.failures++;
        // The reason only (timeout, upstream kind/status): never the prompt or the answer.
        logger.warn({ judge: config.model, ms: Math.round(performance.now() - started), reason: error instanceof Error ? error.name === 'TimeoutError' ? 'timeout' : error.message.slice(0, 120) : 'error', judgeFailures: stats.failures }, 'judge call failed');
        throw error;
      } finally {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}

/**
 * Where no upstream exists (`bulwark config check`, `bulwark eval`): scanners that need a judge can be
 * built and checked, but asking it fails (a scan there would apply the instance's judge-failure semantics).
 */
export const offlineJudge: JudgeClient = {
  complete: () => Promise.reject(new Error('no judge outside the running gateway (config check / eval)')),
};
