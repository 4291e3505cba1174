import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateOpenAIChatRequest, validateOpenAIEmbeddingsRequest } from './openai/validate.ts';
import { validateAnthropicMessagesRequest } from './anthropic/validate.ts';
import type { ValidationResult } from './validation.ts';
import requests from './golden/requests.json' with { type: 'json' };

function issues(r: ValidationResult): Array<[string, string]> {
  return r.ok ? [] : r.issues.map((i) => [i.path, i.message]);
}

describe('validateOpenAIChatRequest', () => {
  it('accepts the golden OpenAI bodies and unknown fields', () => {
    for (const name of ['openai-basic', 'openai-tools', 'openai-images'] as const) {
      assert.deepEqual(validateOpenAIChatRequest(requests[name].input), { ok: true }, name);
      assert.deepEqual(validateOpenAIChatRequest(requests[name].openai), { ok: true }, `${name} translated`);
    }
    assert.deepEqual(validateOpenAIChatRequest(requests['anthropic-native'].openai), { ok: true });
    assert.deepEqual(
      validateOpenAIChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x', name: 'bob' }], seed: 3, response_format: { type: 'json_object' } }),
      { ok: true },
    );
  });

  it('reports missing model and messages with readable expectations', () => {
    assert.deepEqual(issues(validateOpenAIChatRequest({})), [
      ['model', 'expected model to be a string'],
      ['messages', 'expected an array of messages'],
    ]);
    assert.deepEqual(issues(validateOpenAIChatRequest({ model: 'm', messages: [] })), [['messages', 'expected at least one message']]);
    assert.deepEqual(issues(validateOpenAIChatRequest('nope')), [['', 'expected a JSON object body']]);
  });

  it('points at the offending message and part', () => {
    const r = validateOpenAIChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'ok' },
        { role: 'wizard', content: 'x' },
        { role: 'user', content: [{ type: 'text', text: 5 }, { type: 'video', url: 'x' }] },
        { role: 'tool', content: 'r' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] },
        { role: 'system', content: 7 },
      ],
    });
    const got = issues(r);
    assert.deepEqual(got.map(([p]) => p), [
      'messages[1].role',
      'messages[2].content[0].text',
      'messages[2].content[1].type',
      'messages[3].tool_call_id',
      'messages[4].tool_calls[0].function.arguments',
      'messages[5].content',
    ]);
    assert.match(got[0]?.[1] ?? '', /unsupported message role "wizard"; expected one of system, developer, user, assistant, tool, function/);
    assert.equal(got[1]?.[1], 'expected text to be a string');
    assert.match(got[2]?.[1] ?? '', /unsupported content part type "video"/);
    assert.equal(got[5]?.[1], 'expected content to be a string or an array of text parts');
  });

  it('checks optional fields by type', () => {
    const got = issues(validateOpenAIChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes', stop: 5, temperature: 'hot', tools: {} }));
    assert.deepEqual(got.map(([p]) => p).sort(), ['stop', 'stream', 'temperature', 'tools']);
  });
});

describe('validateOpenAIEmbeddingsRequest', () => {
  it('accepts strings, string arrays and token arrays', () => {
    for (const input of ['x', ['a', 'b'], [1, 2, 3], [[1, 2], [3]]]) {
      assert.deepEqual(validateOpenAIEmbeddingsRequest({ model: 'e', input }), { ok: true });
    }
  });
  it('rejects bad input', () => {
    for (const input of [undefined, [], [1, 'a'], 5, {}]) {
      const r = issues(validateOpenAIEmbeddingsRequest({ model: 'e', input }));
      assert.equal(r[0]?.[0], 'input');
    }
    assert.equal(issues(validateOpenAIEmbeddingsRequest({ input: 'x' }))[0]?.[0], 'model');
  });
});

describe('validateAnthropicMessagesRequest', () => {
  it('accepts the golden Anthropic bodies', () => {
    assert.deepEqual(validateAnthropicMessagesRequest(requests['anthropic-native'].input), { ok: true });
    for (const name of ['openai-basic', 'openai-tools', 'openai-images'] as const) {
      assert.deepEqual(validateAnthropicMessagesRequest(requests[name].anthropic), { ok: true }, name);
    }
  });

  it('requires model, max_tokens and messages', () => {
    assert.deepEqual(issues(validateAnthropicMessagesRequest({ messages: [{ role: 'user', content: 'x' }] })), [
      ['model', 'expected model to be a string'],
      ['max_tokens', 'expected max_tokens to be a number'],
    ]);
    assert.deepEqual(issues(validateAnthropicMessagesRequest({ model: 'c', max_tokens: 0, messages: [] })), [
      ['max_tokens', 'expected max_tokens to be at least 1'],
      ['messages', 'expected at least one message'],
    ]);
  });

  it('points at bad blocks', () => {
    const got = issues(
      validateAnthropicMessagesRequest({
        model: 'c',
        max_tokens: 5,
        system: [{ type: 'image' }],
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: [{ type: 'tool_result' }, { type: 'tool_use', id: 't', name: 'n', input: 'str' }, { type: 'bogus' }] },
          { role: 'assistant' },
        ],
      }),
    );
    assert.deepEqual(got.map(([p]) => p), [
      'messages[0].role',
      'messages[1].content[0].tool_use_id',
      'messages[1].content[1].input',
      'messages[1].content[2].type',
      'messages[2].content',
      'system[0].type',
    ]);
    assert.equal(got[0]?.[1], 'expected role to be "user" or "assistant"');
  });
});
