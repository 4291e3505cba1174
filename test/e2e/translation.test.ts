import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.ts';

const tool = { name: 'lookup', description: 'Look something up', schema: { type: 'object' as const, properties: { query: { type: 'string' } }, required: ['query'] } };

describe('translation between wire formats', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h?.close());

  it('lets an OpenAI client use an Anthropic upstream', async () => {
    const result = await h.openai.chat.completions.create({ model: 'claude-test', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi from openai' }] });
    const seen = h.primary.requests.at(-1)!;
    assert.equal(seen.path, '/v1/messages');
    const body = seen.body as Record<string, unknown>;
    assert.equal(body.system, 'Be brief.');
    assert.equal(typeof body.max_tokens, 'number');
    assert.equal(result.object, 'chat.completion');
    assert.equal(result.choices[0]?.message.content, 'Echo: hi from openai');
    assert.equal(result.choices[0]?.finish_reason, 'stop');
    assert.ok((result.usage?.prompt_tokens ?? 0) > 0);
  });

  it('renames the model per route', async () => {
    await h.openai.chat.completions.create({ model: 'gpt-via-claude', messages: [{ role: 'user', content: 'renamed' }] });
    assert.equal((h.primary.requests.at(-1)!.body as Record<string, unknown>).model, 'claude-test');
  });

  it('streams from an Anthropic upstream to an OpenAI client, tool calls included', async () => {
    let text = '';
    for await (const chunk of await h.openai.chat.completions.create({ model: 'claude-test', stream: true, messages: [{ role: 'user', content: 'stream across formats' }] })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, 'Echo: stream across formats');
    const final = await h.openai.chat.completions
      .stream({ model: 'claude-test', messages: [{ role: 'user', content: 'please use tool' }], tools: [{ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.schema } }] })
      .finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'lookup');
    assert.deepEqual(JSON.parse(call.function.arguments), { query: 'fixture' });
    assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
  });

  it('lets an Anthropic client use an OpenAI-compatible upstream', async () => {
    const result = await h.anthropic.messages.create({ model: 'gpt-test', max_tokens: 50, system: 'Be brief.', messages: [{ role: 'user', content: 'hi from anthropic' }] });
    const seen = h.primary.requests.at(-1)!;
    assert.equal(seen.path, '/v1/chat/completions');
    const messages = (seen.body as { messages: { role: string; content: unknown }[] }).messages;
    assert.equal(messages[0]?.role, 'system');
    assert.equal(result.type, 'message');
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: hi from anthropic' }]);
    assert.equal(result.stop_reason, 'end_turn');
  });

  it('streams from an OpenAI upstream to an Anthropic client, tool use included', async () => {
    const message = await h.anthropic.messages.stream({ model: 'gpt-test', max_tokens: 50, messages: [{ role: 'user', content: 'stream the other way' }] }).finalMessage();
    assert.equal(message.content.length, 1);
    const first = message.content[0];
    assert.ok(first && first.type === 'text');
    assert.equal(first.text, 'Echo: stream the other way');
    const withTool = await h.anthropic.messages
      .stream({ model: 'gpt-test', max_tokens: 50, tools: [{ name: tool.name, description: tool.description, input_schema: tool.schema }], messages: [{ role: 'user', content: 'please use tool' }] })
      .finalMessage();
    const block = withTool.content.find((item) => item.type === 'tool_use');
    assert.ok(block && block.type === 'tool_use');
    assert.deepEqual(block.input, { query: 'fixture' });
    assert.equal(withTool.stop_reason, 'tool_use');
  });
});
