import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startHarness, type Harness } from './harness.ts';

const strip = (value: Record<string, unknown>): Record<string, unknown> => {
  const { id: _id, created: _created, ...rest } = value;
  return rest;
};

describe('OpenAI route through the official openai SDK', () => {
  let h: Harness;
  let direct: OpenAI;
  before(async () => {
    h = await startHarness();
    direct = new OpenAI({ baseURL: `${h.primary.url}/v1`, apiKey: 'direct', maxRetries: 0 });
  });
  after(() => h?.close());

  it('passes a plain completion through unchanged, with the provider credential upstream', async () => {
    const params = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hello there' }], temperature: 0.2, user: 'u-1' };
    const viaGateway = await h.openai.chat.completions.create(params);
    const seen = h.primary.requests.at(-1)!;
    const straight = await direct.chat.completions.create(params);
    assert.equal(viaGateway.choices[0]?.message.content, 'Echo: hello there');
    assert.deepEqual(strip(viaGateway as unknown as Record<string, unknown>), strip(straight as unknown as Record<string, unknown>));
    assert.deepEqual(seen.body, params, 'upstream receives the request body unchanged');
    assert.equal(seen.headers.authorization, 'Bearer sk-primary-secret');
  });

  it('streams the same chunks as the upstream sends', async () => {
    const params = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'stream me a reasonably long answer please' }], stream: true as const };
    const collect = async (client: OpenAI): Promise<string[]> => {
      const pieces: string[] = [];
      for await (const chunk of await client.chat.completions.create(params)) pieces.push(JSON.stringify(chunk.choices.map((choice) => [choice.delta, choice.finish_reason])));
      return pieces;
    };
    const viaGateway = await collect(h.openai);
    const straight = await collect(direct);
    assert.ok(viaGateway.length > 3);
    assert.deepEqual(viaGateway, straight);
  });

  it('carries tool calls, plain and streamed (SDK helpers accumulate them)', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'lookup', description: 'Look something up', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } } }];
    const plain = await h.openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'please use tool now' }], tools });
    assert.equal(plain.choices[0]?.finish_reason, 'tool_calls');
    const call = plain.choices[0]?.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'lookup');
    assert.deepEqual(JSON.parse(call.function.arguments), { query: 'fixture' });
    const stream = h.openai.chat.completions.stream({ model: 'gpt-test', messages: [{ role: 'user', content: 'please use tool now' }], tools });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    assert.ok(streamed && streamed.type === 'function');
    assert.deepEqual(JSON.parse(streamed.function.arguments), { query: 'fixture' });
  });

  it('accepts multi-part content and tool-result turns', async () => {
    const result = await h.openai.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"query":"x"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'tool says hi' },
        { role: 'user', content: 'and now?' },
      ],
    });
    assert.equal(result.choices[0]?.message.content, 'Echo: and now?');
  });

  it('serves embeddings and the model list', async () => {
    const embeddings = await h.openai.embeddings.create({ model: 'text-embed-test', input: ['one', 'two'] });
    assert.equal(embeddings.data.length, 2);
    assert.ok(Array.isArray(embeddings.data[0]?.embedding));
    const models = await h.openai.models.list();
    const ids = models.data.map((model) => model.id);
    assert.ok(ids.includes('gpt-test') && ids.includes('claude-test'), `got ${ids.join(',')}`);
  });

  it('records every request as an event', async () => {
    await h.gateway.gateway.store.flush();
    const events = await h.gateway.gateway.store.list({ limit: 100 });
    assert.ok(events.length >= 5);
    const chat = events.find((event) => event.route === 'openai.chat' && event.provider === 'primary-openai');
    assert.ok(chat);
    assert.equal(chat.decision, 'allow');
    assert.ok(chat.scanners.length > 0, 'per-scanner latencies recorded');
    assert.ok(chat.upstreamLatencyMs !== null);
  });
});
