import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import * as wire from './index.ts';
import type { StreamEvent } from './types.ts';
import { startUpstreamFixture, type UpstreamFixture } from '../../test/fixtures/upstream.ts';

/**
 * A minimal translating proxy built only from the wire API: Anthropic clients are served by the fixture's
 * OpenAI endpoint and OpenAI clients by its Anthropic endpoint, so every translation path meets a real SDK.
 */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown));
  });
}

async function pipeStream(
  upstream: Response,
  res: ServerResponse,
  decode: (event: string | undefined, data: string) => StreamEvent[],
  end: () => StreamEvent[],
  encode: (ev: StreamEvent) => string,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const parser = wire.createSseParser((e) => {
    for (const ev of decode(e.event, e.data)) res.write(encode(ev));
  });
  const reader = upstream.body?.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const r = await reader?.read();
    if (r === undefined || r.done) break;
    parser.feed(decoder.decode(r.value, { stream: true }));
  }
  parser.end();
  for (const ev of end()) res.write(encode(ev));
  res.end();
}

async function proxy(fx: UpstreamFixture, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const behavior = req.headers['x-fixture-behavior']?.toString() ?? 'normal';
  const headers = { 'content-type': 'application/json', 'x-fixture-behavior': behavior };
  if (req.url === '/anthropic/v1/messages') {
    const canonical = wire.anthropicRequestToCanonical(body);
    const upstream = await fetch(`${fx.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(wire.canonicalToOpenAIRequest(canonical)) });
    if (!canonical.stream) {
      const out = wire.canonicalToAnthropicResponse({ ...wire.openAIResponseToCanonical(await upstream.json()), id: 'msg_proxy' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    const d = wire.createOpenAIStreamDecoder();
    const e = wire.createAnthropicStreamEncoder({ id: 'msg_proxy', model: canonical.model, ping: true });
    await pipeStream(upstream, res, (_ev, data) => d.push(data), () => d.end(), (ev) => e.encode(ev));
    return;
  }
  const canonical = wire.openAIRequestToCanonical(body);
  const upstream = await fetch(`${fx.url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify(wire.canonicalToAnthropicRequest(canonical)) });
  if (!canonical.stream) {
    const out = wire.canonicalToOpenAIResponse({ ...wire.anthropicResponseToCanonical(await upstream.json()), id: 'chatcmpl-proxy' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    return;
  }
  const includeUsage = (body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true;
  const d = wire.createAnthropicStreamDecoder();
  const e = wire.createOpenAIStreamEncoder({ id: 'chatcmpl-proxy', model: canonical.model, includeUsage });
  await pipeStream(upstream, res, (ev, data) => d.push(ev, data), () => d.end(), (ev) => e.encode(ev));
}

/** Serves canned responses: each test sets `next` to a status, content type and body. */
let next: { status: number; type: string; body: string } = { status: 200, type: 'application/json', body: '{}' };
let fx: UpstreamFixture;
let proxyServer: Server;
let cannedServer: Server;
let proxyUrl = '';
let cannedUrl = '';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(`http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`);
    }),
  );
}

before(async () => {
  fx = await startUpstreamFixture({ chunkSize: 5 });
  proxyServer = createServer((req, res) => void proxy(fx, req, res));
  cannedServer = createServer((_req, res) => {
    res.writeHead(next.status, { 'content-type': next.type }).end(next.body);
  });
  proxyUrl = await listen(proxyServer);
  cannedUrl = await listen(cannedServer);
});
after(async () => {
  proxyServer.closeAllConnections();
  cannedServer.closeAllConnections();
  await Promise.all([new Promise((r) => proxyServer.close(r)), new Promise((r) => cannedServer.close(r)), fx.close()]);
});

const anthropicTool = { name: 'lookup', description: 'Look up', input_schema: { type: 'object' as const, properties: { query: { type: 'string' } } } };
const openaiTool = { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } } } } };

describe('Anthropic SDK over an OpenAI upstream', () => {
  const client = () => new Anthropic({ baseURL: `${proxyUrl}/anthropic`, apiKey: 'test', maxRetries: 0 });

  it('non-streamed text and tool use', async () => {
    const msg = await client().messages.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'say: translated fine' }] });
    assert.deepEqual(msg.content, [{ type: 'text', text: 'translated fine' }]);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.ok(msg.usage.input_tokens > 0);
    const tool = await client().messages.create({ model: 'm', max_tokens: 50, tools: [anthropicTool], messages: [{ role: 'user', content: 'use tool' }] });
    assert.equal(tool.stop_reason, 'tool_use');
    assert.deepEqual(tool.content[0]?.type === 'tool_use' ? tool.content[0].input : null, { query: 'fixture' });
  });

  it('streams text through messages.stream and finalMessage', async () => {
    const stream = client().messages.stream({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'say: streamed across formats' }] });
    let text = '';
    stream.on('text', (t) => {
      text += t;
    });
    const final = await stream.finalMessage();
    assert.equal(text, 'streamed across formats');
    assert.deepEqual(final.content, [{ type: 'text', text: 'streamed across formats' }]);
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.output_tokens > 0);
    assert.ok(final.usage.input_tokens > 0, 'input tokens arrive in message_delta');
  });

  it('streams tool use with parsed input', async () => {
    const stream = client().messages.stream({ model: 'm', max_tokens: 50, tools: [anthropicTool], messages: [{ role: 'user', content: 'please use tool' }] });
    const final = await stream.finalMessage();
    const block = final.content[0];
    assert.ok(block?.type === 'tool_use');
    assert.equal(block.name, 'lookup');
    assert.deepEqual(block.input, { query: 'fixture' });
    assert.equal(final.stop_reason, 'tool_use');
  });

  it('surfaces a translated mid-stream error', async () => {
    const stream = client().messages.stream(
      { model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'say: this will break midway' }] },
      { headers: { 'x-fixture-behavior': 'error-mid-stream' } },
    );
    await assert.rejects(stream.finalMessage(), Anthropic.APIError);
  });
});

describe('OpenAI SDK over an Anthropic upstream', () => {
  const client = () => new OpenAI({ baseURL: `${proxyUrl}/openai/v1`, apiKey: 'test', maxRetries: 0 });

  it('non-streamed text and tool calls', async () => {
    const res = await client().chat.completions.create({ model: 'claude', messages: [{ role: 'system', content: 'be nice' }, { role: 'user', content: 'say: hello openai' }] });
    assert.equal(res.choices[0]?.message.content, 'hello openai');
    assert.equal(res.choices[0]?.finish_reason, 'stop');
    const tool = await client().chat.completions.create({ model: 'claude', tools: [openaiTool], messages: [{ role: 'user', content: 'use tool' }] });
    const call = tool.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.arguments, '{"query":"fixture"}');
    assert.equal(tool.choices[0]?.finish_reason, 'tool_calls');
  });

  it('streams with include_usage', async () => {
    const stream = await client().chat.completions.create({
      model: 'claude',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'say: chunked reply here' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'chunked reply here');
    assert.ok((usage?.prompt_tokens ?? 0) > 0);
    assert.equal(usage?.total_tokens, (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  it('accumulates tool calls with the stream helper', async () => {
    const stream = client().chat.completions.stream({ model: 'claude', tools: [openaiTool], messages: [{ role: 'user', content: 'use tool please' }] });
    const done: string[] = [];
    stream.on('tool_calls.function.arguments.done', (e) => done.push(`${e.name}:${e.arguments}`));
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.name, 'lookup');
    assert.equal(call.function.arguments, '{"query":"fixture"}');
    assert.match(call.id, /^toolu_/);
    assert.deepEqual(done, ['lookup:{"query":"fixture"}']);
    assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
  });

  it('surfaces a translated mid-stream error', async () => {
    const stream = client().chat.completions.stream(
      { model: 'claude', messages: [{ role: 'user', content: 'say: this will break midway' }] },
      { headers: { 'x-fixture-behavior': 'error-mid-stream' } },
    );
    await assert.rejects(stream.finalChatCompletion(), OpenAI.APIError);
  });
});

describe('encoders under awkward event orders', () => {
  const interleaved: StreamEvent[] = [
    { type: 'start', id: 'x', model: 'm' },
    { type: 'text_delta', index: 0, text: 'Let me ' },
    { type: 'tool_call_start', index: 1, id: 'call_1', name: 'a' },
    { type: 'tool_call_start', index: 2, id: 'call_2', name: 'b' },
    { type: 'tool_call_delta', index: 1, argumentsDelta: '{"x":' },
    { type: 'tool_call_delta', index: 2, argumentsDelta: '{"y":2}' },
    { type: 'tool_call_delta', index: 1, argumentsDelta: '1}' },
    { type: 'text_delta', index: 0, text: 'check.' },
    { type: 'stop', stopReason: 'tool_calls', usage: { inputTokens: 3, outputTokens: 4 } },
  ];

  it('Anthropic SDK accumulates interleaved tool deltas and late text', async () => {
    const enc = wire.createAnthropicStreamEncoder({ id: 'msg_x', model: 'm' });
    next = { status: 200, type: 'text/event-stream', body: interleaved.map((e) => enc.encode(e)).join('') };
    const client = new Anthropic({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    const final = await client.messages.stream({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
    assert.deepEqual(
      final.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_use' ? b.input : null)),
      ['Let me ', { x: 1 }, { y: 2 }, 'check.'],
    );
    assert.equal(final.usage.input_tokens, 3);
  });

  it('OpenAI SDK accumulates the same events', async () => {
    const enc = wire.createOpenAIStreamEncoder({ id: 'chatcmpl-x', model: 'm', includeUsage: true });
    next = { status: 200, type: 'text/event-stream', body: interleaved.map((e) => enc.encode(e)).join('') };
    const client = new OpenAI({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    const final = await client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    const msg = final.choices[0]?.message;
    assert.equal(msg?.content, 'Let me check.');
    assert.deepEqual(msg?.tool_calls?.map((c) => (c.type === 'function' ? c.function.arguments : '')), ['{"x":1}', '{"y":2}']);
    assert.equal(final.usage?.total_tokens, 7);
  });

  it('error events become SDK errors carrying the message', async () => {
    const oe = wire.createOpenAIStreamEncoder({ id: 'c', model: 'm' });
    next = { status: 200, type: 'text/event-stream', body: oe.encode({ type: 'text_delta', index: 0, text: 'hi' }) + oe.encode({ type: 'error', message: 'blocked by policy', errorType: 'invalid_request_error' }) };
    const oc = new OpenAI({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(oc.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion(), /blocked by policy/);
    const ae = wire.createAnthropicStreamEncoder({ id: 'msg', model: 'm' });
    next = { status: 200, type: 'text/event-stream', body: ae.encode({ type: 'text_delta', index: 0, text: 'hi' }) + ae.encode({ type: 'error', message: 'blocked by policy', errorType: 'invalid_request_error' }) };
    const ac = new Anthropic({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(ac.messages.stream({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).finalMessage(), /blocked by policy/);
  });
});

describe('error bodies and models list', () => {
  it('OpenAI SDK maps error bodies to typed errors', async () => {
    next = { status: 429, type: 'application/json', body: JSON.stringify(wire.openAIErrorBody({ message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' })) };
    const client = new OpenAI({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.code, 'rate_limit_exceeded');
      assert.match(err.message, /slow down/);
      return true;
    });
    assert.deepEqual(wire.openAIErrorBody({ message: 'm', type: 't' }), { error: { message: 'm', type: 't', param: null, code: null } });
  });

  it('Anthropic SDK maps error bodies to typed errors', async () => {
    next = { status: 400, type: 'application/json', body: JSON.stringify(wire.anthropicErrorBody({ type: 'invalid_request_error', message: 'bad thing' })) };
    const client = new Anthropic({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError);
      assert.match(err.message, /bad thing/);
      return true;
    });
    assert.equal(wire.anthropicStreamErrorFrame({ type: 'overloaded_error', message: 'busy' }), 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n');
  });

  it('OpenAI SDK lists models', async () => {
    next = { status: 200, type: 'application/json', body: JSON.stringify(wire.openAIModelsList(['a', 'b'], { created: 1 })) };
    const client = new OpenAI({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    const page = await client.models.list();
    assert.deepEqual(page.data.map((m) => m.id), ['a', 'b']);
  });

  it('non-streamed canonical responses parse in both SDKs', async () => {
    const resp = { id: 'r1', model: 'm', content: [{ type: 'text' as const, text: 'hi' }, { type: 'tool_call' as const, id: 'call_9', name: 'f', arguments: '{"a":1}' }], stopReason: 'tool_calls' as const, usage: { inputTokens: 1, outputTokens: 2 } };
    next = { status: 200, type: 'application/json', body: JSON.stringify(wire.canonicalToOpenAIResponse(resp)) };
    const oc = new OpenAI({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    const o = await oc.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(o.choices[0]?.message.content, 'hi');
    assert.equal(o.usage?.total_tokens, 3);
    next = { status: 200, type: 'application/json', body: JSON.stringify(wire.canonicalToAnthropicResponse(resp)) };
    const ac = new Anthropic({ baseURL: cannedUrl, apiKey: 'test', maxRetries: 0 });
    const a = await ac.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(a.content, [{ type: 'text', text: 'hi' }, { type: 'tool_use', id: 'call_9', name: 'f', input: { a: 1 } }]);
  });
});
