/**
 * ns per `GatewayMetrics.recordEvent` (what `gateway.record` adds per request when metrics are
 * on) for a typical event: 4 scanner runs, 1 finding, tokens, a priced model. Also the cost of
 * rendering /metrics. Prints numbers; not a test.
 */
import { GatewayMetrics } from '../src/telemetry/metrics.ts';
import type { GatewayEvent } from '../src/store/types.ts';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 2_000_000);
const models = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet', 'llama-3'];
const events: GatewayEvent[] = models.map((model, index) => ({
  id: `evt_${index}`, requestId: `req_${index}`, time: new Date().toISOString(), route: index % 2 ? 'anthropic.messages' : 'openai.chat', model, provider: index % 2 ? 'anthropic' : 'openai', policy: 'default',
  decision: index === 3 ? 'block' : 'allow', status: index === 3 ? 400 : 200,
  findings: index === 3 ? [{ instance: 'secrets', scanner: 'secrets/patterns', ruleId: 'secrets/aws-access-key', severity: 'high', score: 1, segmentId: 's0', origin: 'user', span: [0, 4], action: 'block', message: 'm' }] : [],
  scanners: ['hidden-characters', 'indirect-injection', 'size-limits', 'secrets'].map((instance) => ({ instance, scanner: `x/${instance}`, phase: 'request', outcome: 'pass' as const, score: null, latencyMs: 0.2 + index })),
  inputTokens: 120, outputTokens: 40, upstreamLatencyMs: 350, totalLatencyMs: 380, streamed: false, content: null,
}));

const metrics = new GatewayMetrics({ pricing: [{ match: 'gpt-*', inputPerMillion: 2.5, outputPerMillion: 10, currency: 'USD' }], eventLoop: false });
for (let i = 0; i < 100_000; i++) metrics.recordEvent(events[i & 3]!);
const started = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) metrics.recordEvent(events[i & 3]!);
const ns = Number(process.hrtime.bigint() - started) / iterations;

const renders = 2_000;
const renderStart = process.hrtime.bigint();
let bytes = 0;
for (let i = 0; i < renders; i++) bytes = metrics.render().length;
const renderUs = Number(process.hrtime.bigint() - renderStart) / renders / 1000;
metrics.close();
console.log(`recordEvent: ${ns.toFixed(0)} ns per event (${iterations} events, 4 scanner runs each, 1 finding in 4 events)`);
console.log(`render /metrics: ${renderUs.toFixed(1)} µs per scrape (${bytes} bytes)`);
