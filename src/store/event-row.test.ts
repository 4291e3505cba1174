import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromRow, toRow } from './event-row.ts';
import type { GatewayEvent } from './types.ts';

function event(content: GatewayEvent['content']): GatewayEvent {
  return {
    id: 'evt_1',
    requestId: 'req_1',
    time: '2026-11-26T10:00:00.000Z',
    route: 'openai.chat',
    model: 'gpt-test',
    provider: 'p',
    policy: 'default',
    decision: 'allow',
    status: 200,
    findings: [],
    scanners: [],
    inputTokens: 1,
    outputTokens: 2,
    upstreamLatencyMs: 1.5,
    totalLatencyMs: 2.5,
    streamed: false,
    content,
  };
}

/** Any UTF-16 code unit, lone surrogates and controls included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 60 });
const plainText = fc.string({ unit: 'grapheme', maxLength: 60 });

describe('toRow content column', () => {
  it('is exactly JSON.stringify of the content, whatever the text holds', () => {
    const text = fc.oneof(anyText, plainText);
    const content = fc.record({ request: text, response: text, sealed: text }, { requiredKeys: [] });
    fc.assert(
      fc.property(content, (value) => {
        assert.equal(toRow(event(value)).content, JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps field order, skips undefined fields and reads back', () => {
    const cases: GatewayEvent['content'][] = [
      {},
      { request: 'user: hello' },
      { response: 'assistant: "quoted" \\ back\nline', request: 'user: tab\there' },
      { request: undefined, response: 'assistant: ok' },
      { request: 'user: lone \ud800 surrogate', response: 'assistant: pair \ud83d\ude00' },
      { request: 'user: \u2028 and \u2029 and \u007f' },
    ];
    for (const content of cases) {
      const row = toRow(event(content));
      assert.equal(row.content, JSON.stringify(content));
      assert.deepEqual(fromRow(row).content, JSON.parse(JSON.stringify(content)));
    }
    assert.equal(toRow(event(null)).content, null);
  });
});
