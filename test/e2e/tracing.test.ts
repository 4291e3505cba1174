import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { postRaw, startHarness, type Harness } from './harness.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean } }[];
  status: { code: number };
}

/** A local OTLP/HTTP receiver: keeps every span POSTed to /v1/traces and the request headers. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; headers: IncomingHttpHeaders[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/otlp/v1/traces' && request.method === 'POST') {
        headers.push(request.headers);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/otlp`, spans, headers, server };
}

const attr = (span: OtlpSpan, key: string): string | number | boolean | undefined => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  if (!value) return undefined;
  return value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue;
};

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for spans');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('OpenTelemetry traces over OTLP/HTTP JSON', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
  const clientParent = '00f067aa0ba902b7';

  before(async () => {
    receiver = await startReceiver();
    h = await startHarness({ observability: { telemetry: { otlp: { endpoint: receiver.url, flushIntervalMs: 20, headers: { 'x-collector-key': 'collector-secret' } } } } });
  });
  after(async () => {
    await h?.close();
    receiver?.server.close();
  });

  it('continues the client trace: server span, upstream client span with gen_ai attributes, scanner spans; the upstream gets the client span as parent', async () => {
    const before = h.primary.requests.length;
    const { status } = await postRaw(`${h.gateway.url}/v1/chat/completions`, JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: traced hello' }] }), { traceparent: `00-${clientTrace}-${clientParent}-01` });
    assert.equal(status, 200);
    await until(() => receiver.spans.some((span) => span.traceId === clientTrace && span.kind === 2));
    const spans = receiver.spans.filter((span) => span.traceId === clientTrace);
    const root = spans.find((span) => span.kind === 2)!;
    assert.equal(root.parentSpanId, clientParent);
    assert.equal(root.name, 'bulwark openai.chat');
    assert.equal(attr(root, 'bulwark.decision'), 'allow');
    assert.equal(attr(root, 'bulwark.policy'), 'default');
    assert.equal(attr(root, 'http.response.status_code'), 200);
    assert.match(String(attr(root, 'bulwark.event_id')), /^evt_/);

    const upstream = spans.find((span) => span.kind === 3)!;
    assert.equal(upstream.name, 'chat gpt-test');
    assert.equal(upstream.parentSpanId, root.spanId);
    assert.equal(attr(upstream, 'gen_ai.operation.name'), 'chat');
    assert.equal(attr(upstream, 'gen_ai.provider.name'), 'openai');
    assert.equal(attr(upstream, 'gen_ai.system'), 'openai');
    assert.equal(attr(upstream, 'gen_ai.request.model'), 'gpt-test');
    assert.equal(typeof attr(upstream, 'gen_ai.response.model'), 'string');
    assert.ok(Number(attr(upstream, 'gen_ai.usage.input_tokens')) > 0);
    assert.ok(Number(attr(upstream, 'gen_ai.usage.output_tokens')) > 0);
    assert.ok(BigInt(upstream.startTimeUnixNano) >= BigInt(root.startTimeUnixNano) && BigInt(upstream.endTimeUnixNano) <= BigInt(root.endTimeUnixNano));

    const scans = spans.filter((span) => span.name.startsWith('scan '));
    assert.deepEqual(scans.map((span) => span.name).sort(), ['scan harmful-request', 'scan hidden-characters', 'scan hidden-characters-response', 'scan indirect-injection', 'scan prompt-injection', 'scan size-limits']);
    for (const span of scans) {
      assert.equal(span.parentSpanId, root.spanId);
      assert.ok(['request', 'response'].includes(String(attr(span, 'bulwark.scan.phase'))));
    }

    // W3C propagation: the upstream saw the gateway's client span as its parent, in the client's trace.
    const seen = h.primary.requests.slice(before).at(-1)!;
    assert.equal(seen.headers.traceparent, `00-${clientTrace}-${upstream.spanId}-01`);
    assert.equal(receiver.headers[0]!['x-collector-key'], 'collector-secret');
    assert.equal(receiver.headers[0]!['content-type'], 'application/json');
  });

  it('starts a new trace when the client sends none, and marks a blocked request', async () => {
    const count = receiver.spans.length;
    await postRaw(`${h.gateway.url}/v1/chat/completions`, JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: `hi${String.fromCodePoint(0xe0041, 0xe0042)}` }] }));
    await until(() => receiver.spans.slice(count).some((span) => span.kind === 2));
    const root = receiver.spans.slice(count).find((span) => span.kind === 2)!;
    assert.equal(root.parentSpanId, undefined);
    assert.notEqual(root.traceId, clientTrace);
    assert.equal(attr(root, 'bulwark.decision'), 'block');
    assert.equal(receiver.spans.slice(count).filter((span) => span.kind === 3).length, 0, 'a request blocked before the call has no upstream span');
  });

  it('traces embeddings with an embeddings client span and propagates its traceparent', async () => {
    const trace = 'e'.repeat(32);
    const { status } = await postRaw(`${h.gateway.url}/v1/embeddings`, JSON.stringify({ model: 'text-embed-small', input: 'hello' }), { traceparent: `00-${trace}-${'f'.repeat(16)}-01` });
    assert.equal(status, 200);
    await until(() => receiver.spans.some((span) => span.traceId === trace && span.kind === 2));
    const upstream = receiver.spans.find((span) => span.traceId === trace && span.kind === 3)!;
    assert.equal(upstream.name, 'embeddings text-embed-small');
    assert.equal(attr(upstream, 'gen_ai.operation.name'), 'embeddings');
    assert.equal(h.primary.requests.at(-1)!.headers.traceparent, `00-${trace}-${upstream.spanId}-01`);
  });

  it('keeps a client\'s "not sampled" decision: no spans, no traceparent upstream', async () => {
    const count = receiver.spans.length;
    const before = h.primary.requests.length;
    await postRaw(`${h.gateway.url}/v1/chat/completions`, JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: quiet' }] }), { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00` });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(receiver.spans.slice(count).length, 0);
    assert.equal(h.primary.requests.slice(before).at(-1)!.headers.traceparent, undefined);
  });
});

describe('tracing off (the default)', () => {
  it('has no tracer and sends no traceparent upstream', async () => {
    const h = await startHarness();
    try {
      assert.equal(h.gateway.gateway.tracer, null);
      await postRaw(`${h.gateway.url}/v1/chat/completions`, JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'say: x' }] }), { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` });
      assert.equal(h.primary.requests.at(-1)!.headers.traceparent, undefined);
    } finally {
      await h.close();
    }
  });
});

describe('OpenTelemetry traces of streamed answers', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const streamTrace = '5cf92f3577b34da6a3ce929d0e0e4799';

  before(async () => {
    receiver = await startReceiver();
    const policy = {
      name: 'stream-traced',
      scanners: [{ id: 'banned', scanner: 'text/term-list', phases: ['response-stream', 'response'] as ('response-stream' | 'response')[], action: 'block' as const, timeoutMs: 1000, config: { terms: ['forbidden phrase'] } }],
    };
    h = await startHarness({ policy, chunkSize: 5, observability: { telemetry: { otlp: { endpoint: receiver.url, flushIntervalMs: 20 } } } });
  });
  after(async () => {
    await h?.close();
    receiver?.server.close();
  });

  it('traces response-stream scans: one span per instance over all scan windows, under the request span', async () => {
    const body = JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'say: a streamed answer long enough for several scan windows' }] });
    const response = await fetch(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json', traceparent: `00-${streamTrace}-00f067aa0ba902b7-01` } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /data: \[DONE\]/);
    await until(() => receiver.spans.some((span) => span.traceId === streamTrace && span.kind === 2), 10_000);
    const spans = receiver.spans.filter((span) => span.traceId === streamTrace);
    const root = spans.find((span) => span.kind === 2)!;
    const streamScans = spans.filter((span) => attr(span, 'bulwark.scan.phase') === 'response-stream');
    assert.deepEqual(streamScans.map((span) => span.name), ['scan banned']);
    const scan = streamScans[0]!;
    assert.equal(scan.parentSpanId, root.spanId);
    assert.equal(attr(scan, 'bulwark.scanner.id'), 'text/term-list');
    assert.equal(attr(scan, 'bulwark.scan.outcome'), 'pass');
    assert.ok(Number(attr(scan, 'bulwark.scan.windows')) >= 1);
    assert.ok(Number(attr(scan, 'bulwark.scan.busy_ms')) >= 0);
    assert.ok(BigInt(scan.endTimeUnixNano) >= BigInt(scan.startTimeUnixNano));
    assert.ok(BigInt(scan.startTimeUnixNano) >= BigInt(root.startTimeUnixNano) && BigInt(scan.endTimeUnixNano) <= BigInt(root.endTimeUnixNano));
  });
});
