import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, type Harness } from './harness.ts';

describe('Anthropic route through the official @anthropic-ai/sdk', () => {
  let h: Harness;
  let direct: Anthropic;
  before(async () => {
    h = await startHarness();
    direct = new Anthropic({ baseURL: h.primary.url, apiKey: 'direct', maxRetries: 0 });
  });
  after(() => h?.close());

  it('passes a message with a system prompt through unchanged', async () => {
    const params = { model: 'claude-test', max_tokens: 100, system: 'You are terse.', messages: [{ role: 'user' as const, content: 'hello claude' }] };
    const viaGateway = await h.anthropic.messages.create(params);
    const seen = h.primary.requests.at(-1)!;
    const straight = await direct.messages.create(params);
    assert.deepEqual(viaGateway.content, [{ type: 'text', text: 'Echo: hello claude' }]);
    assert.deepEqual({ ...viaGateway, id: '' }, { ...straight, id: '' });
    assert.deepEqual(seen.body, params);
    assert.equal(seen.headers['x-api-key'], 'sk-ant-secret');
    assert.ok(seen.headers['anthropic-version']);
  });

  it('streams the same events as the upstream sends', async () => {
    const params = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user' as const, content: 'stream this answer for me please' }], stream: true as const };
    const collect = async (client: Anthropic): Promise<string[]> => {
      const events: string[] = [];
      for await (const event of await client.messages.create(params)) {
        events.push(event.type === 'message_start' ? 'message_start' : JSON.stringify(event));
      }
      return events;
    };
    const viaGateway = await collect(h.anthropic);
    const straight = await collect(direct);
    assert.ok(viaGateway.length > 4);
    assert.deepEqual(viaGateway, straight);
  });

  it('carries tool use, plain and streamed', async () => {
    const tools = [{ name: 'lookup', description: 'Look something up', input_schema: { type: 'object' as const, properties: { query: { type: 'string' } } } }];
    const plain = await h.anthropic.messages.create({ model: 'claude-test', max_tokens: 100, tools, messages: [{ role: 'user', content: 'please use tool now' }] });
    assert.equal(plain.stop_reason, 'tool_use');
    const block = plain.content.find((item) => item.type === 'tool_use');
    assert.ok(block && block.type === 'tool_use');
    assert.deepEqual(block.input, { query: 'fixture' });
    const final = await h.anthropic.messages.stream({ model: 'claude-test', max_tokens: 100, tools, messages: [{ role: 'user', content: 'please use tool now' }] }).finalMessage();
    const streamed = final.content.find((item) => item.type === 'tool_use');
    assert.ok(streamed && streamed.type === 'tool_use');
    assert.deepEqual(streamed.input, { query: 'fixture' });
  });
});
