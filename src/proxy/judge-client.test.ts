import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startUpstreamFixture, type UpstreamFixture } from '../../test/fixtures/upstream.ts';
import { ConfigError } from '../config/load.ts';
import { Config, Judge, Route } from '../config/schema.ts';
import { createUpstreamClient, type UpstreamClient } from '../providers/upstream-client.ts';
import { compilePolicy } from './gateway.ts';
import { createJudgeClient } from './judge-client.ts';

const signal = () => new AbortController().signal;
// The fixture replies `say: X` with X: the judge's "answer" is whatever the test puts after say:.
const ask = (user: string) => ({ system: 'You are a test judge.', user, maxTokens: 32, signal: signal() });

describe('judge client', () => {
  let fx: UpstreamFixture;
  let upstream: UpstreamClient;
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  before(async () => {
    fx = await startUpstreamFixture();
    upstream = createUpstreamClient({
      providers: [
        { id: 'oa', type: 'openai-compatible', baseUrl: `${fx.url}/v1`, headers: {}, models: [] },
        { id: 'an', type: 'anthropic', baseUrl: fx.url, apiKey: 'k', headers: {}, models: [] },
      ],
      logger: pino({ level: 'silent' }),
    });
  });
  after(async () => {
    await upstream.close();
    await fx.close();
  });
  const client = (providers: string[], judge: Record<string, unknown> = {}) =>
    createJudgeClient({ config: Judge.parse({ model: 'judge-m', ...judge }), route: Route.parse({ match: 'judge-*', providers, retry: { attempts: 0 } }), upstream, logger });

  it('sends an OpenAI chat body and returns the answer text; caches by (system, user)', async () => {
    const judge = client(['oa']);
    const before = fx.requests.length;
    assert.equal(await judge.complete(ask('say: {"injection": false, "confidence": 0.9}')), '{"injection": false, "confidence": 0.9}');
    const body = fx.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(fx.requests.at(-1)?.path, '/v1/chat/completions');
    assert.deepEqual([body.model, body.max_tokens, body.temperature, body.stream], ['judge-m', 32, 0, false]);
    assert.equal(await judge.complete(ask('say: {"injection": false, "confidence": 0.9}')), '{"injection": false, "confidence": 0.9}');
    assert.equal(fx.requests.length, before + 1, 'second answer from the cache');
    assert.deepEqual(judge.stats(), { calls: 1, cacheHits: 1, failures: 0 });
  });

  it('evicts the least recently used answer', async () => {
    const judge = client(['oa'], { cacheSize: 1 });
    await judge.complete(ask('say: a'));
    await judge.complete(ask('say: b'));
    await judge.complete(ask('say: a'));
    assert.deepEqual(judge.stats(), { calls: 3, cacheHits: 0, failures: 0 });
  });

  it('translates for an Anthropic provider and reads its answer', async () => {
    const judge = client(['an'], { maxTokens: 16 });
    assert.equal(await judge.complete(ask('say: yes')), 'yes');
    const last = fx.requests.at(-1)!;
    assert.equal(last.path, '/v1/messages');
    assert.equal((last.body as Record<string, unknown>).system, 'You are a test judge.');
    assert.equal((last.body as Record<string, unknown>).max_tokens, 16, 'capped at judge.maxTokens');
  });

  it('gives up after judge.timeoutMs, counts and logs the failure without content', async () => {
    const judge = client(['oa'], { timeoutMs: 150 });
    fx.behavior = 'hang';
    const started = Date.now();
    try {
      await assert.rejects(judge.complete(ask('say: secret-prompt-text')), (error: Error) => error.name === 'TimeoutError');
    } finally {
      fx.behavior = 'normal';
    }
    assert.ok(Date.now() - started < 1000);
    assert.equal(judge.stats().failures, 1);
    assert.ok(lines.some((line) => line.includes('judge call failed') && line.includes('"reason":"timeout"')));
    assert.ok(!lines.some((line) => line.includes('secret-prompt-text')), 'no prompt text in logs');
  });
});

describe('judge wiring in compilePolicy', () => {
  const silent = pino({ level: 'silent' });
  const routes = [{ match: 'judge-*', providers: ['oa'] }];
  const providers = [{ id: 'oa', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' }];
  const judged = (timeoutMs = 3000) => ({ id: 'pi', scanner: 'ai/prompt-injection', timeoutMs, config: { judge: { enabled: true } } });
  const problems = (input: Record<string, unknown>): string => {
    try {
      compilePolicy(Config.parse(input), silent, '.');
      return '';
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
  };

  it('fails a policy that needs the judge when judge.model is missing, and only then', () => {
    assert.match(problems({ policy: { scanners: [judged()] } }), /policy\.scanners\[0\]\.config: .*judge\.model/);
    assert.match(problems({ policy: { scanners: [{ id: 'house', scanner: 'ai/custom-judge', config: { rules: [{ id: 'r', description: 'anything about r' }] } }] } }), /judge\.model/);
    assert.equal(problems({ policy: { scanners: [{ id: 'pi', scanner: 'ai/prompt-injection' }] } }), '');
  });

  it('compiles with a judge section (config check has no upstream), and checks its route and budget', () => {
    assert.equal(problems({ providers, routes, judge: { model: 'judge-m' }, policy: { scanners: [judged()] } }), '');
    assert.match(problems({ providers, routes, judge: { model: 'other' }, policy: { scanners: [judged()] } }), /judge\.model: no route serves model "other"/);
    assert.match(problems({ providers, routes, judge: { model: 'judge-m', timeoutMs: 1500 }, policy: { scanners: [judged(1000)] } }), /policy\.scanners\[0\]\.timeoutMs: judge\.timeoutMs \(1500\) must be below this instance's timeoutMs \(1000\)/);
  });
});
