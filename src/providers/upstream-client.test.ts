import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import type { Provider, Route } from '../config/schema.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createUpstreamClient } from './upstream-client.ts';
import type { UpstreamClient, UpstreamRequest, UpstreamResult } from './upstream-client.ts';

/** What the test server saw of one request. */
interface Seen {
  provider: string;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

let server: Server;
let baseUrl = '';
let seen: Seen[] = [];
const handlers = new Map<string, Handler>();

// One server plays every provider: the first path segment names it (/a/v1/..., /b/v1/...).
before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, provider = '', ...rest] = (req.url ?? '').split('/');
      const record: Seen = { provider, method: req.method ?? '', path: `/${rest.join('/')}`, headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
      seen.push(record);
      const handler = handlers.get(provider);
      if (handler) handler(req, res, record);
      else json(res, 200, { ok: true, provider });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  seen = [];
  handlers.clear();
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function provider(id: string, overrides: Partial<Provider> = {}): Provider {
  return { id, type: 'openai', baseUrl: `${baseUrl}/${id}/v1`, apiKey: `sk-secret-${id}`, headers: {}, models: [], ...overrides };
}

function route(providers: string[], overrides: Partial<Route> = {}): Route {
  return {
    match: '*',
    providers,
    timeoutMs: 2_000,
    retry: { attempts: 1, backoffMs: 1, maxBackoffMs: 5 },
    circuitBreaker: { failureThreshold: 5, cooldownMs: 60_000 },
    ...overrides,
  };
}

function request(overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    operation: 'chat',
    body: (format, model, p) => ({ format, model, provider: p.id, messages: [{ role: 'user', content: 'hi' }] }),
    model: 'gpt-test',
    stream: false,
    signal: new AbortController().signal,
    requestId: 'req-1',
    ...overrides,
  };
}

function captureLogs(): { stream: DestinationStream; text: () => string } {
  let buffer = '';
  return { stream: { write: (chunk: string) => { buffer += chunk; } }, text: () => buffer };
}

async function bodyText(result: UpstreamResult): Promise<string> {
  assert.ok(result.ok, `expected ok, got ${JSON.stringify(result)}`);
  const chunks: Buffer[] = [];
  for await (const c of result.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('upstream client', () => {
  let logs: ReturnType<typeof captureLogs>;
  let clients: UpstreamClient[] = [];

  function client(providers: Provider[], env: Record<string, string> = {}): UpstreamClient {
    logs = captureLogs();
    const c = createUpstreamClient({ providers, logger: createLogger({ level: 'debug', destination: logs.stream }), env, random: () => 0.5 });
    clients.push(c);
    return c;
  }

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
  });

  test('sends the provider-format body, the route model and auth headers', async () => {
    const c = client([provider('a', { apiKey: { env: 'A_KEY' } })], { A_KEY: 'sk-from-env' });
    const result = await c.call(route(['a'], { model: 'upstream-model' }), request());
    assert.ok(result.ok);
    assert.equal(result.status, 200);
    assert.equal(result.format, 'openai');
    assert.equal(result.provider.id, 'a');
    assert.equal(result.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(await bodyText(result)), { ok: true, provider: 'a' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.path, '/v1/chat/completions');
    assert.equal(seen[0]!.headers.authorization, 'Bearer sk-from-env');
    assert.deepEqual(JSON.parse(seen[0]!.body), { format: 'openai', model: 'upstream-model', provider: 'a', messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome, a.status]), [['a', 'ok', 200]]);
  });

  test('anthropic providers get the anthropic format and headers; models is a GET without body', async () => {
    const c = client([provider('an', { type: 'anthropic', baseUrl: `${baseUrl}/an` })]);
    const result = await c.call(route(['an']), request());
    assert.ok(result.ok);
    await bodyText(result);
    assert.equal(seen[0]!.path, '/v1/messages');
    assert.equal(seen[0]!.headers['x-api-key'], 'sk-secret-an');
    assert.equal(seen[0]!.headers['anthropic-version'], '2023-06-01');
    assert.equal(JSON.parse(seen[0]!.body).format, 'anthropic');
    let built = 0;
    const models = await c.call(route(['an']), request({ operation: 'models', body: () => { built++; return null; } }));
    await bodyText(models);
    assert.equal(seen[1]!.method, 'GET');
    assert.equal(seen[1]!.path, '/v1/models');
    assert.equal(seen[1]!.body, '');
    assert.equal(built, 0);
  });

  test('retries a 503 on the same provider, then succeeds', async () => {
    let n = 0;
    handlers.set('a', (_req, res) => (++n === 1 ? json(res, 503, { error: { message: 'busy' } }) : json(res, 200, { n })));
    const c = client([provider('a'), provider('b')]);
    const result = await c.call(route(['a', 'b']), request());
    assert.deepEqual(JSON.parse(await bodyText(result)), { n: 2 });
    assert.ok(result.ok);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.attempt, a.outcome, a.status]), [['a', 1, 'http-error', 503], ['a', 2, 'ok', 200]]);
  });

  test('500 on every try falls back to the second provider', async () => {
    handlers.set('a', (_req, res) => json(res, 500, { error: { message: 'boom' } }));
    const c = client([provider('a'), provider('b')]);
    const result = await c.call(route(['a', 'b']), request());
    assert.ok(result.ok);
    assert.equal(result.provider.id, 'b');
    await bodyText(result);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['a', 'http-error'], ['a', 'http-error'], ['b', 'ok']]);
    assert.deepEqual(seen.map((s) => s.provider), ['a', 'a', 'b']);
  });

  test('a hanging provider times out and falls back', async () => {
    handlers.set('a', () => { /* never answers */ });
    const c = client([provider('a'), provider('b')]);
    const started = Date.now();
    const result = await c.call(route(['a', 'b'], { timeoutMs: 150, retry: { attempts: 0, backoffMs: 1, maxBackoffMs: 1 } }), request());
    assert.ok(result.ok);
    assert.equal(result.provider.id, 'b');
    await bodyText(result);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['a', 'timeout'], ['b', 'ok']]);
    assert.ok(Date.now() - started < 1_500);
  });

  test('a 400 is returned at once with its parsed body, without retry or fallback', async () => {
    handlers.set('a', (_req, res) => json(res, 400, { error: { message: 'bad temperature', param: 'temperature' } }));
    const c = client([provider('a'), provider('b')]);
    const result = await c.call(route(['a', 'b']), request());
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'http');
    assert.equal(result.status, 400);
    assert.deepEqual(result.errorBody, { error: { message: 'bad temperature', param: 'temperature' } });
    assert.deepEqual(seen.map((s) => s.provider), ['a']);
    assert.equal(c.breakerState('a'), 'closed');
  });

  test('when everything fails the last failure comes back with the last http status', async () => {
    handlers.set('a', (_req, res) => json(res, 502, { error: { message: 'a down' } }));
    handlers.set('b', (_req, res) => json(res, 503, { error: { message: 'b down' } }));
    const c = client([provider('a'), provider('b')]);
    const result = await c.call(route(['a', 'b', 'ghost']), request());
    assert.ok(!result.ok);
    assert.equal(result.kind, 'unsupported');
    assert.equal(result.provider, 'ghost');
    assert.equal(result.status, 503);
    const direct = await c.call(route(['a', 'b']), request());
    assert.ok(!direct.ok);
    assert.equal(direct.kind, 'http');
    assert.equal(direct.status, 503);
    assert.deepEqual(direct.errorBody, { error: { message: 'b down' } });
  });

  test('network errors are retried and fall back', async () => {
    const c = client([provider('dead', { baseUrl: 'http://127.0.0.1:1/v1' }), provider('b')]);
    const result = await c.call(route(['dead', 'b']), request());
    assert.ok(result.ok);
    await bodyText(result);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['dead', 'network'], ['dead', 'network'], ['b', 'ok']]);
  });

  test('the circuit opens after N failures and the provider is skipped', async () => {
    handlers.set('a', (_req, res) => json(res, 500, {}));
    const c = client([provider('a'), provider('b')]);
    const r = route(['a', 'b'], { retry: { attempts: 0, backoffMs: 1, maxBackoffMs: 1 }, circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    for (let i = 0; i < 2; i++) await bodyText(await c.call(r, request()));
    assert.equal(c.breakerState('a'), 'open');
    seen = [];
    const result = await c.call(r, request());
    await bodyText(result);
    assert.ok(result.ok);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['a', 'circuit-open'], ['b', 'ok']]);
    assert.deepEqual(seen.map((s) => s.provider), ['b']);
    assert.equal(c.breakerState('b'), 'closed');
    assert.equal(c.breakerState('nope'), 'unknown');
    assert.match(logs.text(), /circuit opened/);
  });

  test('client errors do not count towards the circuit', async () => {
    handlers.set('a', (_req, res) => json(res, 422, {}));
    const c = client([provider('a')]);
    const r = route(['a'], { circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 } });
    for (let i = 0; i < 3; i++) assert.equal((await c.call(r, request())).ok, false);
    assert.equal(c.breakerState('a'), 'closed');
  });

  test('retry-after is honoured, bounded by maxBackoffMs', async () => {
    const times: number[] = [];
    handlers.set('a', (_req, res) => {
      times.push(Date.now());
      if (times.length === 1) json(res, 429, {}, { 'retry-after': '1' });
      else json(res, 200, {});
    });
    const c = client([provider('a')]);
    const result = await c.call(route(['a'], { retry: { attempts: 1, backoffMs: 1, maxBackoffMs: 300 } }), request());
    await bodyText(result);
    const gap = times[1]! - times[0]!;
    assert.ok(gap >= 250 && gap < 900, `gap ${gap}`);
  });

  test('retry-after-ms shortens a long backoff', async () => {
    const times: number[] = [];
    handlers.set('a', (_req, res) => {
      times.push(Date.now());
      if (times.length === 1) json(res, 503, {}, { 'retry-after-ms': '40' });
      else json(res, 200, {});
    });
    const c = client([provider('a')]);
    await bodyText(await c.call(route(['a'], { retry: { attempts: 1, backoffMs: 5_000, maxBackoffMs: 5_000 } }), request()));
    const gap = times[1]! - times[0]!;
    assert.ok(gap >= 30 && gap < 1_000, `gap ${gap}`);
  });

  test('an abort during backoff returns aborted at once', async () => {
    handlers.set('a', (_req, res) => json(res, 503, {}));
    const c = client([provider('a'), provider('b')]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await c.call(route(['a', 'b'], { retry: { attempts: 3, backoffMs: 5_000, maxBackoffMs: 5_000 } }), request({ signal: controller.signal }));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'aborted');
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(seen.map((s) => s.provider), ['a']);
  });

  test('an abort mid-stream closes the upstream connection', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => { closed = resolve; });
    handlers.set('a', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      const timer = setInterval(() => res.write('data: {"n":2}\n\n'), 20);
      res.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    const c = client([provider('a')]);
    const controller = new AbortController();
    const result = await c.call(route(['a']), request({ stream: true, signal: controller.signal }));
    assert.ok(result.ok);
    const first = await new Promise<string>((resolve) => result.body.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    assert.match(first, /"n":1/);
    result.body.on('error', () => {});
    controller.abort();
    await Promise.race([serverSawClose, new Promise((_, reject) => setTimeout(() => reject(new Error('upstream not closed')), 2_000))]);
    assert.ok(result.body.destroyed);
  });

  test('an abort while waiting for headers returns aborted and closes the upstream request', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => { closed = resolve; });
    handlers.set('a', (_req, res) => res.on('close', () => closed()));
    const c = client([provider('a'), provider('b')]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await c.call(route(['a', 'b']), request({ signal: controller.signal }));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'aborted');
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['a', 'aborted']]);
    await serverSawClose;
    assert.equal(c.breakerState('a'), 'closed');
  });

  test('an operation a provider lacks falls through to one that has it', async () => {
    const c = client([provider('an', { type: 'anthropic', baseUrl: `${baseUrl}/an` }), provider('b')]);
    const result = await c.call(route(['an', 'b']), request({ operation: 'embeddings' }));
    assert.ok(result.ok);
    await bodyText(result);
    assert.deepEqual(result.attempts.map((a) => [a.provider, a.outcome]), [['an', 'unsupported'], ['b', 'ok']]);
    assert.equal(seen[0]!.path, '/v1/embeddings');
  });

  test('logs carry provider ids and statuses, never keys or upstream URLs', async () => {
    handlers.set('a', (_req, res) => json(res, 500, {}));
    const c = client([provider('a'), provider('dead', { baseUrl: 'http://127.0.0.1:1/v1' }), provider('b')]);
    await bodyText(await c.call(route(['a', 'dead', 'b']), request()));
    const text = logs.text();
    assert.match(text, /"provider":"a"/);
    assert.match(text, /"status":500/);
    assert.ok(!text.includes('sk-secret'), text);
    assert.ok(!text.includes('127.0.0.1'), text);
  });

  test('a missing env secret fails at construction, naming provider and variable', () => {
    assert.throws(
      () => createUpstreamClient({ providers: [provider('a', { apiKey: { env: 'NOT_SET_ANYWHERE' } })], logger: createLogger({ level: 'silent' }), env: {} }),
      /provider "a".*NOT_SET_ANYWHERE/,
    );
  });
});
