import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { OtlpExporter, otlpBody, type SpanData } from './otlp-exporter.ts';
import { parseTraceparent } from './tracing.ts';

const logger = pino({ level: 'silent' });
const span = (index: number): SpanData => ({ traceId: 'a'.repeat(32), spanId: index.toString(16).padStart(16, '0'), name: `s${index}`, kind: 1, start: 1_700_000_000_123.456789, end: 1_700_000_000_124.5, attributes: { n: index, f: 0.5, b: true, s: 'x' }, status: 0 });

describe('traceparent', () => {
  it('accepts a valid header and reads the sampled flag', () => {
    assert.deepEqual(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', sampled: true });
    assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled, false);
  });
  it('rejects malformed, all-zero and version ff headers', () => {
    for (const bad of [undefined, '', 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra']) {
      assert.equal(parseTraceparent(bad), null, String(bad));
    }
  });
});

describe('OTLP exporter', () => {
  it('renders OTLP/JSON with hex ids, nanosecond strings and typed attributes', () => {
    const body = JSON.parse(otlpBody([span(1)], 'svc')) as { resourceSpans: { resource: unknown; scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    assert.deepEqual(body.resourceSpans[0]!.resource, { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] });
    const out = body.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    // Epoch milliseconds as doubles keep about 0.2 µs: close enough for spans.
    const start = BigInt(out.startTimeUnixNano as string);
    assert.ok(start - 1700000000123456789n < 1000n && 1700000000123456789n - start < 1000n, String(start));
    assert.equal(out.endTimeUnixNano, '1700000000124500000');
    assert.deepEqual(out.attributes, [{ key: 'n', value: { intValue: '1' } }, { key: 'f', value: { doubleValue: 0.5 } }, { key: 'b', value: { boolValue: true } }, { key: 's', value: { stringValue: 'x' } }]);
  });

  it('bounds its queue and counts drops, including a failed export, without throwing', async () => {
    // Port 9 on loopback: nothing listens, so the export fails fast.
    const exporter = new OtlpExporter({ otlp: { endpoint: 'http://127.0.0.1:9', headers: {}, sampleRatio: 1, batchSize: 100, flushIntervalMs: 60_000, maxQueue: 3, timeoutMs: 500 }, headers: {}, serviceName: 'svc', logger });
    exporter.export([span(1), span(2)]);
    exporter.export([span(3), span(4), span(5)]);
    assert.equal(exporter.dropped, 2);
    await exporter.close();
    assert.equal(exporter.dropped, 5);
    assert.equal(exporter.exported, 0);
  });
});
