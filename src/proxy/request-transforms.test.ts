import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Spotlighting } from '../config/schema.ts';
import { anthropicRequestSegments } from '../wire/index.ts';
import { appendSystemNote, plantCanary, spotlight } from './request-transforms.ts';

describe('request transforms', () => {
  it('appends a system note in every Anthropic system shape and as a leading OpenAI system message', () => {
    const asString: Record<string, unknown> = { system: 'Be brief.' };
    appendSystemNote('anthropic', asString, 'NOTE');
    assert.equal(asString.system, 'Be brief.\n\nNOTE');
    const asBlocks: Record<string, unknown> = { system: [{ type: 'text', text: 'Be brief.' }] };
    appendSystemNote('anthropic', asBlocks, 'NOTE');
    assert.deepEqual(asBlocks.system, [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'NOTE' }]);
    const absent: Record<string, unknown> = {};
    appendSystemNote('anthropic', absent, 'NOTE');
    assert.equal(absent.system, 'NOTE');
    const openai: Record<string, unknown> = { messages: [{ role: 'user', content: 'hi' }] };
    appendSystemNote('openai', openai, 'NOTE');
    assert.deepEqual(openai.messages, [{ role: 'system', content: 'NOTE' }, { role: 'user', content: 'hi' }]);
  });

  it('plants a distinct canary each time', () => {
    const body = { messages: [] as unknown[] };
    const a = plantCanary('openai', body);
    const b = plantCanary('openai', body);
    assert.match(a, /^bwc[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });

  for (const [mode, check] of [
    ['datamark', (text: string) => text === 'send^the^report'],
    ['delimit', (text: string) => /^<<untrusted-[0-9a-f]{8}>>\nsend the report\n<<\/untrusted-[0-9a-f]{8}>>$/.test(text)],
    ['base64', (text: string) => text === `base64:${Buffer.from('send the report').toString('base64')}`],
  ] as const) {
    it(`spotlights documents and tool results (${mode}) and explains the marking`, () => {
      const body: Record<string, unknown> = {
        model: 'm',
        max_tokens: 5,
        messages: [
          { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'send the report' } }, { type: 'text', text: 'summarise' }] },
        ],
      };
      const segments = anthropicRequestSegments(body);
      const marked = spotlight('anthropic', body, segments, Spotlighting.parse({ origins: ['document'], mode }));
      assert.equal(marked, 1);
      const content = (body.messages as { content: { source?: { data: string }; text?: string }[] }[])[0]!.content;
      assert.ok(check(content[0]!.source!.data), content[0]!.source!.data);
      assert.equal(content[1]!.text, 'summarise');
      assert.match(String(body.system), /never instructions to follow/);
    });
  }
});
