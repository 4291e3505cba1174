import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSseParser, formatSse, type SseEvent } from './sse.ts';

function parseAll(chunks: string[]): { events: SseEvent[]; others: string[] } {
  const events: SseEvent[] = [];
  const others: string[] = [];
  const p = createSseParser((e) => events.push(e), { onOther: (raw) => others.push(raw) });
  for (const c of chunks) p.feed(c);
  p.end();
  return { events, others };
}

/** Splits `text` at the given cut points (any positions, including inside CRLF). */
function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

const SAMPLE =
  ': ping\n\n' +
  'event: message_start\ndata: {"a":1}\n\n' +
  'data: line one\r\ndata: line two\r\n\r\n' +
  'event: delta\rdata: cr only\r\r' +
  'id: 7\ndata:no space\nretry: 100\n\n' +
  'data: [DONE]\n\n';

describe('sse parser', () => {
  it('parses events, multi-line data, comments and all line endings', () => {
    const { events, others } = parseAll([SAMPLE]);
    assert.deepEqual(
      events.map((e) => [e.event, e.data]),
      [
        ['message_start', '{"a":1}'],
        [undefined, 'line one\nline two'],
        ['delta', 'cr only'],
        [undefined, 'no space'],
        [undefined, '[DONE]'],
      ],
    );
    assert.equal(events[3]?.id, '7');
    assert.deepEqual(others, [': ping\n\n']);
    assert.equal(events[1]?.raw, 'data: line one\r\ndata: line two\r\n\r\n');
  });

  it('gives raw frames that concatenate back to the exact input', () => {
    const raws: string[] = [];
    const p = createSseParser((e) => raws.push(e.raw), { onOther: (r) => raws.push(r) });
    p.feed(SAMPLE);
    p.end();
    assert.equal(raws.join(''), SAMPLE);
  });

  it('is independent of chunk boundaries (property)', () => {
    const whole = parseAll([SAMPLE]);
    fc.assert(
      fc.property(fc.array(fc.nat(SAMPLE.length), { maxLength: 30 }), (cuts) => {
        assert.deepEqual(parseAll(splitAt(SAMPLE, cuts)), whole);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips random events through formatSse and random splits (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', 'é', '\u2028', '{', '"') , maxLength: 12 });
    const dataArb = fc.array(field, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
    const eventArb = fc.record({ event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }), data: dataArb });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 6 }), fc.array(fc.nat(400), { maxLength: 20 }), fc.boolean(), (evs, cuts, crlf) => {
        let text = evs.map((e) => formatSse(e)).join('');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const { events } = parseAll(splitAt(text, cuts));
        assert.deepEqual(
          events.map((e) => ({ event: e.event, data: e.data })),
          evs.map((e) => ({ event: e.event, data: e.data })),
        );
        assert.equal(events.map((e) => e.raw).join(''), text);
      }),
      { numRuns: 300 },
    );
  });

  it('dispatches a final event with no trailing blank line at end()', () => {
    const { events } = parseAll(['data: tail']);
    assert.deepEqual(events.map((e) => e.data), ['tail']);
    assert.equal(events[0]?.raw, 'data: tail');
  });

  it('waits for the LF after a chunk-final CR', () => {
    const events: SseEvent[] = [];
    const p = createSseParser((e) => events.push(e));
    p.feed('data: x\r');
    p.feed('\n\r');
    assert.equal(events.length, 0);
    p.feed('\n');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.raw, 'data: x\r\n\r\n');
  });

  it('formats frames', () => {
    assert.equal(formatSse({ data: 'x' }), 'data: x\n\n');
    assert.equal(formatSse({ event: 'e', data: 'a\nb' }), 'event: e\ndata: a\ndata: b\n\n');
  });
});
