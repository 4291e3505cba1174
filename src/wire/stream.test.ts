import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAIStreamDecoder } from './openai/stream-decoder.ts';
import { createOpenAIStreamEncoder } from './openai/stream-encoder.ts';
import { createAnthropicStreamDecoder } from './anthropic/stream-decoder.ts';
import { createAnthropicStreamEncoder } from './anthropic/stream-encoder.ts';
import { openAIStreamErrorFrame } from './openai/errors.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });

describe('OpenAI stream decoder', () => {
  it('holds the stop until usage or [DONE], and flushes it at end()', () => {
    const d = createOpenAIStreamDecoder();
    assert.deepEqual(d.push(chunk({ role: 'assistant', content: '' })), [{ type: 'start', id: 'c1', model: 'm' }]);
    assert.deepEqual(d.push(chunk({}, 'stop')), []);
    assert.deepEqual(d.end(), [{ type: 'stop', stopReason: 'stop' }]);
    assert.deepEqual(d.push('[DONE]'), []);
  });

  it('takes usage that arrives with the finish chunk', () => {
    const d = createOpenAIStreamDecoder();
    const evs = d.push(chunk({ content: 'x' }, 'length', { usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 } }));
    assert.deepEqual(evs.slice(1), [
      { type: 'text_delta', index: 0, text: 'x' },
      { type: 'stop', stopReason: 'length', usage: { inputTokens: 2, outputTokens: 1 } },
    ]);
  });

  it('gives text after a tool call its own block and treats refusals as text', () => {
    const d = createOpenAIStreamDecoder();
    const evs = [
      ...d.push(chunk({ content: 'a' })),
      ...d.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] })),
      ...d.push(chunk({ refusal: 'no' })),
    ];
    assert.deepEqual(evs.slice(1), [
      { type: 'text_delta', index: 0, text: 'a' },
      { type: 'tool_call_start', index: 1, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{}' },
      { type: 'text_delta', index: 2, text: 'no' },
    ]);
  });

  it('turns error payloads and malformed chunks into error events', () => {
    const d = createOpenAIStreamDecoder();
    const frame = openAIStreamErrorFrame({ message: 'boom', type: 'server_error' });
    assert.deepEqual(d.push(frame.slice('data: '.length).trim()), [{ type: 'error', message: 'boom', errorType: 'server_error' }]);
    assert.equal(d.push('{not json')[0]?.type, 'error');
  });
});

describe('Anthropic stream decoder', () => {
  it('emits whole tool input given in content_block_start, ignores pings and thinking', () => {
    const d = createAnthropicStreamDecoder();
    const push = (type: string, data: Record<string, unknown>) => d.push(type, JSON.stringify({ type, ...data }));
    const evs = [
      ...push('message_start', { message: { id: 'msg', model: 'c', usage: { input_tokens: 4, cache_read_input_tokens: 6, output_tokens: 1 } } }),
      ...push('ping', {}),
      ...push('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ...push('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'secret' } }),
      ...push('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } } }),
      ...push('content_block_stop', { index: 1 }),
      ...push('message_delta', { delta: { stop_reason: 'stop_sequence', stop_sequence: '##' }, usage: { output_tokens: 9 } }),
    ];
    assert.deepEqual(evs, [
      { type: 'start', id: 'msg', model: 'c', inputTokens: 10 },
      { type: 'tool_call_start', index: 1, id: 't', name: 'f' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"a":1}' },
    ]);
    assert.deepEqual(d.end(), [{ type: 'stop', stopReason: 'stop', stopSequence: '##', usage: { inputTokens: 10, outputTokens: 9 } }]);
  });

  it('turns error events into error events', () => {
    const d = createAnthropicStreamDecoder();
    assert.deepEqual(d.push('error', JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })), [
      { type: 'error', message: 'Overloaded', errorType: 'overloaded_error' },
    ]);
  });
});

describe('stream encoders', () => {
  it('OpenAI: synthesises the role chunk, ignores events after stop, omits usage unless asked', () => {
    const e = createOpenAIStreamEncoder({ id: 'c', model: 'm', created: 5 });
    const out = e.encode({ type: 'text_delta', index: 0, text: 'hi' });
    assert.equal(out.split('\n\n').filter((f) => f !== '').length, 2);
    assert.match(out, /"delta":\{"role":"assistant","content":"","refusal":null\}/);
    const stop = e.encode({ type: 'stop', stopReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
    assert.doesNotMatch(stop, /prompt_tokens/);
    assert.ok(stop.endsWith('data: [DONE]\n\n'));
    assert.equal(e.encode({ type: 'text_delta', index: 0, text: 'late' }), '');
  });

  it('Anthropic: synthesises message_start and maps stop sequences and unknown error types', () => {
    const e = createAnthropicStreamEncoder({ id: 'msg', model: 'm', inputTokens: 12 });
    const out = e.encode({ type: 'text_delta', index: 3, text: 'x' }) + e.encode({ type: 'stop', stopReason: 'stop', stopSequence: 'END' });
    const events = [...out.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(events, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    assert.match(out, /"input_tokens":12/);
    assert.match(out, /"stop_reason":"stop_sequence","stop_sequence":"END"/);
    const e2 = createAnthropicStreamEncoder({ id: 'msg', model: 'm' });
    assert.match(e2.encode({ type: 'error', message: 'x', errorType: 'server_error' }), /"type":"api_error"/);
  });
});
