import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StreamEvent } from '../../wire/types.ts';
import { StreamRewriter, type StreamEdit } from './rewriter.ts';

/** Feeds `chunks` as text deltas, releasing up to `holdBack` behind the newest text after each; returns the text that left. */
function replay(chunks: string[], options: { holdBack: number; edits?: StreamEdit[]; restorations?: Map<string, string> }): { text: string; events: StreamEvent[] } {
  const events: StreamEvent[] = [];
  const rewriter = new StreamRewriter((event) => {
    events.push(event);
    return 'x';
  }, options.restorations ?? new Map());
  let text = '';
  rewriter.push({ type: 'start', id: 'm', model: 'x' }, 0, 0);
  if (options.edits) assert.ok(rewriter.addEdits(options.edits));
  for (const chunk of chunks) {
    const start = text.length;
    text += chunk;
    rewriter.push({ type: 'text_delta', index: 0, text: chunk }, start, text.length);
    rewriter.release(rewriter.boundary(text, Math.max(0, text.length - options.holdBack)));
  }
  rewriter.push({ type: 'stop', stopReason: 'stop' }, text.length, text.length);
  rewriter.release(rewriter.boundary(text, Number.POSITIVE_INFINITY, true));
  const out = events.map((event) => (event.type === 'text_delta' ? event.text : '')).join('');
  return { text: out, events };
}

function split(text: string, sizes: number[]): string[] {
  const chunks: string[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

describe('stream rewriter', () => {
  const restorations = new Map([['<PERSON_1>', 'Jane Doe'], ['<EMAIL_1>', 'jane@example.com']]);
  const answer = 'Your appointment with <PERSON_1> is confirmed; we wrote to <EMAIL_1>. Regards.';
  const expected = 'Your appointment with Jane Doe is confirmed; we wrote to jane@example.com. Regards.';

  for (const size of [1, 3, 7]) {
    it(`restores placeholders split across ${size}-character chunks, even with no hold-back`, () => {
      const result = replay(split(answer, [size]), { holdBack: 0, restorations });
      assert.equal(result.text, expected);
      assert.equal(result.events[0]!.type, 'start');
      assert.equal(result.events.at(-1)!.type, 'stop');
    });
  }

  it('restores for any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 20 }), (sizes, holdBack) => {
        assert.equal(replay(split(answer, sizes), { holdBack, restorations }).text, expected);
      }),
    );
  });

  it('applies a redaction exactly however the text is chunked', () => {
    const text = 'card 4111 1111 1111 1111 thanks';
    const edits = [{ start: 5, end: 24, replacement: '<CREDIT_CARD_1>' }];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        assert.equal(replay(split(text, sizes), { holdBack: 0, edits }).text, 'card <CREDIT_CARD_1> thanks');
      }),
    );
  });

  it('refuses an edit of text already released and keeps the longer of overlapping edits', () => {
    const rewriter = new StreamRewriter(() => '', new Map());
    rewriter.push({ type: 'text_delta', index: 0, text: 'hello world' }, 0, 11);
    assert.ok(rewriter.addEdits([{ start: 6, end: 8, replacement: '[a]' }]));
    assert.ok(rewriter.addEdits([{ start: 6, end: 11, replacement: '[b]' }]));
    assert.equal(rewriter.boundary('hello world', 7), 6, 'a release never cuts an edit');
    const frames: StreamEvent[] = [];
    const capture = new StreamRewriter((event) => {
      frames.push(event);
      return '';
    }, new Map());
    capture.push({ type: 'text_delta', index: 0, text: 'hello world' }, 0, 11);
    capture.addEdits([{ start: 6, end: 8, replacement: '[a]' }, { start: 6, end: 11, replacement: '[b]' }]);
    capture.release(11);
    assert.deepEqual(frames, [{ type: 'text_delta', index: 0, text: 'hello [b]' }]);
    assert.equal(capture.addEdits([{ start: 2, end: 3, replacement: '' }]), false);
  });

  it('restores JSON-escaped values in tool-call arguments', () => {
    const frames: StreamEvent[] = [];
    const rewriter = new StreamRewriter((event) => {
      frames.push(event);
      return '';
    }, new Map([['<PERSON_1>', 'Jane "JD" Doe']]));
    rewriter.push({ type: 'tool_call_start', index: 0, id: 'call_1', name: 'send' }, 0, 0);
    rewriter.push({ type: 'tool_call_delta', index: 0, argumentsDelta: '{"to":"<PERS' }, 0, 12);
    rewriter.push({ type: 'tool_call_delta', index: 0, argumentsDelta: 'ON_1>"}' }, 12, 19);
    rewriter.release(19);
    const args = frames.flatMap((event) => (event.type === 'tool_call_delta' ? [event.argumentsDelta] : [])).join('');
    assert.deepEqual(JSON.parse(args), { to: 'Jane "JD" Doe' });
  });
});
