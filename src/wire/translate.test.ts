import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as wire from './index.ts';
import { imagePartFromUrl, imagePartToUrl } from './images.ts';

describe('request translation edge cases', () => {
  it('merges consecutive same-role turns and drops empty ones for Anthropic', () => {
    const body = wire.canonicalToAnthropicRequest(
      wire.openAIRequestToCanonical({
        model: 'm',
        messages: [
          { role: 'user', content: 'one' },
          { role: 'user', content: 'two' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'three' },
        ],
      }),
    );
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
    ]);
  });

  it('maps tool_choice both ways', () => {
    const pairs: Array<[unknown, unknown]> = [
      ['auto', { type: 'auto' }],
      ['none', { type: 'none' }],
      ['required', { type: 'any' }],
      [{ type: 'function', function: { name: 'f' } }, { type: 'tool', name: 'f' }],
    ];
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    for (const [openai, anthropic] of pairs) {
      const a = wire.canonicalToAnthropicRequest(wire.openAIRequestToCanonical({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools, tool_choice: openai }));
      assert.deepEqual(a.tool_choice, anthropic);
      const o = wire.canonicalToOpenAIRequest(wire.anthropicRequestToCanonical(a));
      assert.deepEqual(o.tool_choice, openai);
    }
  });

  it('gives tools without parameters an empty object schema and drops tool_choice without tools', () => {
    const c = wire.openAIRequestToCanonical({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] });
    assert.deepEqual(c.tools, [{ name: 'f', parameters: { type: 'object', properties: {} } }]);
    const a = wire.canonicalToAnthropicRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], toolChoice: 'auto', stream: false });
    assert.equal(a.tool_choice, undefined);
  });

  it('links legacy function calls by name', () => {
    const c = wire.openAIRequestToCanonical({
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{"a":1}' } },
        { role: 'function', name: 'f', content: 'ok' },
      ],
    });
    assert.deepEqual(c.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool_call', id: 'f', name: 'f', arguments: '{"a":1}' }] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'f', content: 'ok' }] },
    ]);
  });

  it('keeps unparseable tool arguments instead of losing them', () => {
    const a = wire.canonicalToAnthropicRequest({
      model: 'm',
      stream: false,
      messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'f', arguments: '{oops' }] }],
    });
    assert.deepEqual(a.messages[0]?.content, [{ type: 'tool_use', id: 't', name: 'f', input: { _raw: '{oops' } }]);
  });

  it('asks OpenAI upstreams for the usage chunk when streaming', () => {
    const o = wire.canonicalToOpenAIRequest({ model: 'm', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] });
    assert.deepEqual(o.stream_options, { include_usage: true });
  });
});

describe('image URLs', () => {
  it('decodes base64 and percent-encoded data URLs and keeps http URLs', () => {
    assert.deepEqual(imagePartFromUrl('data:image/png;base64,AAAA'), { type: 'image', mediaType: 'image/png', data: 'AAAA' });
    assert.deepEqual(imagePartFromUrl('data:image/svg+xml,%3Csvg%2F%3E'), {
      type: 'image',
      mediaType: 'image/svg+xml',
      data: Buffer.from('<svg/>').toString('base64'),
    });
    assert.deepEqual(imagePartFromUrl('https://x/y.png'), { type: 'image', url: 'https://x/y.png' });
    assert.equal(imagePartToUrl({ type: 'image', mediaType: 'image/gif', data: 'R0lG' }), 'data:image/gif;base64,R0lG');
  });
});
