import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrometheusText } from '../../test/support/prometheus.ts';
import type { GatewayEvent } from '../store/types.ts';
import { pino } from 'pino';
import { sampleEvent } from '../store/event-store.contract.ts';
import { createSqliteEventStore } from '../store/sqlite-event-store.ts';
import { GatewayMetrics } from './metrics.ts';
import { Registry } from './registry.ts';

function event(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  return {
    id: 'evt_1', requestId: 'req_1', time: new Date().toISOString(), route: 'openai.chat', model: 'gpt-test', provider: 'primary', policy: 'default',
    decision: 'block', status: 400,
    findings: [{ instance: 'secrets', scanner: 'secrets/patterns', ruleId: 'secrets/aws-access-key', severity: 'high', score: 1, segmentId: 's0', origin: 'user', span: [0, 4], action: 'block', message: 'm' }],
    scanners: [{ instance: 'secrets', scanner: 'secrets/patterns', phase: 'request', outcome: 'flag', score: 1, latencyMs: 0.8 }],
    inputTokens: 1000, outputTokens: 500, upstreamLatencyMs: 42, totalLatencyMs: 50, streamed: false, content: null,
    ...overrides,
  };
}

const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  for (const family of parsePrometheusText(text).values()) {
    for (const s of family.samples) if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
  }
  return undefined;
};

describe('registry', () => {
  it('escapes label values and help so a strict parser reads them back exactly', () => {
    const registry = new Registry();
    registry.counter('t_total', 'help with \\ backslash\nand newline', [{ name: 'v' }]).labels('a "quoted" \\ value\nnext').inc(2);
    const families = parsePrometheusText(registry.render());
    const family = families.get('t_total')!;
    assert.equal(family.help, 'help with \\ backslash\nand newline');
    assert.deepEqual(family.samples, [{ name: 't_total', labels: { v: 'a "quoted" \\ value\nnext' }, value: 2 }]);
  });

  it('folds label values past the cap into "other"', () => {
    const registry = new Registry();
    const counter = registry.counter('c_total', 'c', [{ name: 'rule', maxValues: 3 }]);
    for (const rule of ['a', 'b', 'c', 'd', 'e', 'a']) counter.labels(rule).inc();
    const samples = parsePrometheusText(registry.render()).get('c_total')!.samples;
    assert.deepEqual(Object.fromEntries(samples.map((s) => [s.labels.rule, s.value])), { a: 2, b: 1, c: 1, other: 2 });
  });

  it('renders histograms with cumulative buckets, +Inf, _sum and _count', () => {
    const registry = new Registry();
    const histogram = registry.histogram('h_seconds', 'h', [{ name: 'x' }], [0.1, 1]);
    for (const value of [0.05, 0.1, 0.5, 3]) histogram.labels('y').observe(value);
    const text = registry.render();
    assert.equal(sample(text, 'h_seconds_bucket', { le: '0.1' }), 2);
    assert.equal(sample(text, 'h_seconds_bucket', { le: '1' }), 3);
    assert.equal(sample(text, 'h_seconds_bucket', { le: '+Inf' }), 4);
    assert.equal(sample(text, 'h_seconds_count', {}), 4);
    assert.equal(sample(text, 'h_seconds_sum', {}), 3.65);
  });
});

describe('strict parser', () => {
  const bad: [string, string][] = [
    ['no TYPE', 'x 1\n'],
    ['bad escape', '# TYPE x counter\nx{a="\\t"} 1\n'],
    ['negative counter', '# TYPE x counter\nx -1\n'],
    ['count differs from +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ['not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['no +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ['missing final newline', '# TYPE x counter\nx 1'],
    ['interleaved families', '# TYPE x counter\nx 1\n# TYPE y counter\ny 1\nx{a="b"} 1\n'],
  ];
  for (const [what, text] of bad) it(`rejects: ${what}`, () => assert.throws(() => parsePrometheusText(text)));
});

describe('GatewayMetrics', () => {
  it('counts requests, findings, scanner and upstream latency, tokens and spend from one event', () => {
    const metrics = new GatewayMetrics({ pricing: [{ match: 'gpt-*', inputPerMillion: 2, outputPerMillion: 8, currency: 'USD' }], eventLoop: false });
    metrics.recordEvent(event());
    metrics.recordEvent(event({ id: 'evt_2', decision: 'allow', status: 200, findings: [] }));
    const text = metrics.render();
    assert.equal(sample(text, 'bulwark_requests_total', { route: 'openai.chat', decision: 'block', status_class: '4xx' }), 1);
    assert.equal(sample(text, 'bulwark_requests_total', { route: 'openai.chat', decision: 'allow', status_class: '2xx' }), 1);
    assert.equal(sample(text, 'bulwark_decisions_total', { instance: 'secrets', rule: 'secrets/aws-access-key', action: 'block' }), 1);
    assert.equal(sample(text, 'bulwark_scanner_latency_seconds_count', { instance: 'secrets', phase: 'request', outcome: 'flag' }), 2);
    assert.equal(sample(text, 'bulwark_upstream_latency_seconds_bucket', { provider: 'primary', le: '0.05' }), 2);
    assert.equal(sample(text, 'bulwark_tokens_total', { direction: 'input', model: 'gpt-test' }), 2000);
    assert.equal(sample(text, 'bulwark_tokens_total', { direction: 'output', model: 'gpt-test' }), 1000);
    // 2 × (1000 × 2 + 500 × 8) / 1e6 USD
    assert.ok(Math.abs(sample(text, 'bulwark_cost_total', { currency: 'USD', model: 'gpt-test' })! - 0.012) < 1e-12);
    metrics.close();
  });

  it('counts limit refusals by reason and reads the store queue at scrape time', () => {
    const store = { stats: () => ({ queued: 7, dropped: 1, spool: { bytes: 300, records: 2, maxBytes: 1000, full: false } }) } as unknown as import('../store/types.ts').EventStore;
    const metrics = new GatewayMetrics({ sources: { store }, eventLoop: false });
    metrics.recordEvent(event({ error: 'BULWARK_RATE_LIMITED', status: 429, findings: [], scanners: [], provider: null, upstreamLatencyMs: null, inputTokens: null, outputTokens: null }));
    const text = metrics.render();
    assert.equal(sample(text, 'bulwark_limit_refusals_total', { reason: 'rate-limit' }), 1);
    assert.equal(sample(text, 'bulwark_limit_refusals_total', { reason: 'budget' }), 0);
    assert.equal(sample(text, 'bulwark_store_queue_depth', {}), 7);
    assert.equal(sample(text, 'bulwark_store_spool_records', {}), 2);
    assert.equal(sample(text, 'bulwark_upstream_latency_seconds_count', {}), undefined);
  });
});

describe('EventStore.stats() for the queue gauge', () => {
  it('SQLite reports events accepted but not committed, and 0 after flush', async () => {
    const store = createSqliteEventStore({ path: ':memory:', logger: pino({ level: 'silent' }), flushIntervalMs: 10_000 });
    try {
      for (let i = 0; i < 3; i++) store.append(sampleEvent({ id: `evt_stats_${i}` }));
      assert.deepEqual(store.stats?.(), { queued: 3, dropped: 0 });
      await store.flush();
      assert.deepEqual(store.stats?.(), { queued: 0, dropped: 0 });
    } finally {
      await store.close();
    }
  });
});
