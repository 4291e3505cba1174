import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as wire from './index.ts';
import type { ChatRequest, ChatResponse, StreamEvent, TextSegment } from './types.ts';
import requests from './golden/requests.json' with { type: 'json' };
import responses from './golden/responses.json' with { type: 'json' };
import streams from './golden/streams.json' with { type: 'json' };
import segments from './golden/segments.json' with { type: 'json' };

/** JSON imports widen literal types; goldens are compared structurally, so cast through unknown. */
const as = <T>(v: unknown): T => v as T;
const clone = <T>(v: T): T => structuredClone(v);

describe('golden requests', () => {
  for (const [name, g] of Object.entries(requests)) {
    it(`${name}: ${g.from} -> canonical -> both formats`, () => {
      const canonical =
        g.from === 'openai' ? wire.openAIRequestToCanonical(g.input) : wire.anthropicRequestToCanonical(g.input);
      assert.deepEqual(canonical, g.canonical);
      assert.deepEqual(wire.canonicalToOpenAIRequest(as<ChatRequest>(g.canonical)), g.openai);
      assert.deepEqual(wire.canonicalToAnthropicRequest(as<ChatRequest>(g.canonical)), g.anthropic);
    });
    it(`${name}: translated bodies read back to the same conversation`, () => {
      const viaOpenAI = wire.openAIRequestToCanonical(g.openai);
      const viaAnthropic = wire.anthropicRequestToCanonical(g.anthropic);
      const c = as<ChatRequest>(g.canonical);
      // OpenAI tool messages have no error flag, so is_error is the one thing that does not survive.
      const noErrorFlag = c.messages.map((m) => ({
        ...m,
        content: m.content.map((p) => (p.type === 'tool_result' ? { type: p.type, toolCallId: p.toolCallId, content: p.content } : p)),
      }));
      assert.deepEqual(viaOpenAI.messages, noErrorFlag);
      assert.deepEqual(viaAnthropic.messages, c.messages);
      assert.equal(viaOpenAI.system, c.system);
      assert.equal(viaAnthropic.system, c.system);
      assert.deepEqual(viaOpenAI.tools, c.tools);
      assert.deepEqual(viaAnthropic.tools, c.tools);
      assert.deepEqual(viaOpenAI.toolChoice, c.toolChoice);
      assert.deepEqual(viaAnthropic.toolChoice, c.toolChoice);
    });
  }
  it('defaults max_tokens and clamps temperature for Anthropic', () => {
    assert.equal(requests['openai-images'].anthropic.max_tokens, wire.DEFAULT_ANTHROPIC_MAX_TOKENS);
    assert.equal(requests['openai-basic'].anthropic.temperature, 1);
  });
});

describe('golden responses', () => {
  for (const [name, g] of Object.entries(responses)) {
    it(`${name}: ${g.from} -> canonical -> both formats`, () => {
      const canonical =
        g.from === 'openai' ? wire.openAIResponseToCanonical(g.input) : wire.anthropicResponseToCanonical(g.input);
      assert.deepEqual(canonical, g.canonical);
      const c = as<ChatResponse>(g.canonical);
      assert.deepEqual(wire.canonicalToOpenAIResponse(c, { created: 1727000000 }), g.openai);
      assert.deepEqual(wire.canonicalToAnthropicResponse(c), g.anthropic);
      const back = wire.anthropicResponseToCanonical(g.anthropic);
      assert.deepEqual(back.content, c.content);
      assert.equal(back.stopReason, c.stopReason);
      assert.deepEqual(wire.openAIResponseToCanonical(g.openai).content, c.content);
    });
  }
});

function decode(from: string, sse: string, chunks: number[] = []): StreamEvent[] {
  const events: StreamEvent[] = [];
  const cuts = [...new Set(chunks.map((c) => c % (sse.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const c of cuts) {
    parts.push(sse.slice(prev, c));
    prev = c;
  }
  parts.push(sse.slice(prev));
  if (from === 'openai') {
    const d = wire.createOpenAIStreamDecoder();
    const p = wire.createSseParser((e) => events.push(...d.push(e.data)));
    for (const part of parts) p.feed(part);
    p.end();
    events.push(...d.end());
  } else {
    const d = wire.createAnthropicStreamDecoder();
    const p = wire.createSseParser((e) => events.push(...d.push(e.event, e.data)));
    for (const part of parts) p.feed(part);
    p.end();
    events.push(...d.end());
  }
  return events;
}

describe('golden streams', () => {
  for (const [name, g] of Object.entries(streams)) {
    it(`${name}: decodes to the golden events`, () => {
      assert.deepEqual(decode(g.from, g.sse), g.events);
    });
    it(`${name}: decoding is independent of chunk boundaries (property)`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(g.sse.length), { maxLength: 40 }), (cuts) => {
          assert.deepEqual(decode(g.from, g.sse, cuts), g.events);
        }),
        { numRuns: 100 },
      );
    });
    it(`${name}: encodes to the golden frames in both formats`, () => {
      const events = as<StreamEvent[]>(g.events);
      const oe = wire.createOpenAIStreamEncoder({ id: 'chatcmpl-golden', model: 'gpt-4o-mini', includeUsage: true, created: 1727000000 });
      const ae = wire.createAnthropicStreamEncoder({ id: 'msg_golden', model: 'claude-sonnet-4-5', ping: true });
      assert.equal(events.map((e) => oe.encode(e)).join(''), g.openai);
      assert.equal(events.map((e) => ae.encode(e)).join(''), g.anthropic);
    });
    it(`${name}: re-encoded streams decode to the same content`, () => {
      const strip = (evs: StreamEvent[]) =>
        evs.filter((e) => e.type !== 'start').map((e) => ('index' in e ? { ...e, index: 0 } : e));
      const expected = strip(as<StreamEvent[]>(g.events));
      const viaOpenAI = strip(decode('openai', g.openai));
      const viaAnthropic = strip(decode('anthropic', g.anthropic));
      const text = (evs: StreamEvent[]) => evs.map((e) => (e.type === 'text_delta' ? e.text : e.type === 'tool_call_delta' ? e.argumentsDelta : '')).join('');
      assert.equal(text(viaOpenAI), text(expected));
      assert.equal(text(viaAnthropic), text(expected));
      const stopOf = (evs: StreamEvent[]) => evs.find((e) => e.type === 'stop');
      assert.equal(stopOf(viaAnthropic)?.type === 'stop' && stopOf(viaAnthropic)?.type, 'stop');
    });
  }
});

describe('golden segments', () => {
  const extract: Record<string, (b: unknown) => TextSegment[]> = {
    'openai-request': wire.openAIRequestSegments,
    'anthropic-request': wire.anthropicRequestSegments,
    'openai-embeddings': wire.openAIEmbeddingsSegments,
    'openai-response': wire.openAIResponseSegments,
    'anthropic-response': wire.anthropicResponseSegments,
  };
  for (const [name, g] of Object.entries(segments)) {
    it(`${name}: ids, origins and paths`, () => {
      const fn = extract[g.kind];
      assert.ok(fn !== undefined);
      assert.deepEqual(fn(g.body), g.segments);
    });
    it(`${name}: every path resolves to its text, and edits write back`, () => {
      const body = clone(g.body);
      const segs = as<TextSegment[]>(g.segments);
      for (const s of segs) {
        const at = wire.getAtPath(body, s.path);
        if (s.readOnly === true) {
          assert.equal(JSON.stringify(at), s.text);
          wire.setAtPath(body, s.path, JSON.parse(s.text.replace('"', '"X')));
        } else {
          assert.equal(at, s.text);
          wire.setAtPath(body, s.path, `[${s.id}]`);
        }
      }
      const fn = extract[g.kind];
      const after = fn?.(body) ?? [];
      assert.deepEqual(after.map((s) => s.id), segs.map((s) => s.id));
      for (const s of after) if (s.readOnly !== true) assert.equal(s.text, `[${s.id}]`);
    });
  }
  it('never throws on garbage bodies', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const fn of Object.values(extract)) fn(v);
        wire.openAIRequestToCanonical(v);
        wire.anthropicRequestToCanonical(v);
        wire.openAIResponseToCanonical(v);
        wire.anthropicResponseToCanonical(v);
      }),
      { numRuns: 300 },
    );
  });
});
