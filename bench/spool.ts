// Spool throughput: how fast an outage's events reach the spool (fsync'd), and how fast they
// replay into a store that accepts everything; plus the healthy path's cost per event.
// node --import tsx bench/spool.ts [events]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSpoolingEventStore } from '../src/store/spooling-event-store.ts';
import type { AuditedEventStore, GatewayEvent } from '../src/store/types.ts';
import { createLogger } from '../src/telemetry/logger.ts';

const total = Number(process.argv[2] ?? 20_000);
const logger = createLogger({ level: 'silent' });

function event(n: number): GatewayEvent {
  return {
    id: `evt_${n}`, requestId: `req_${n}`, time: new Date().toISOString(), route: 'openai.chat', model: 'gpt-test', provider: 'primary', policy: 'default', decision: 'redact', status: 200,
    findings: [{ instance: 'pii', scanner: 'pii', ruleId: 'email', severity: 'medium', score: 0.9, segmentId: 'm0', origin: 'user', span: [10, 30], action: 'redact', message: 'email address' }],
    scanners: Array.from({ length: 6 }, (_, i) => ({ instance: `s${i}`, scanner: `s${i}`, phase: 'request', outcome: 'pass' as const, score: 0.01, latencyMs: 0.4 })),
    inputTokens: 120, outputTokens: 300, upstreamLatencyMs: 420.5, totalLatencyMs: 431.25, streamed: false, content: { request: 'x'.repeat(400), response: 'y'.repeat(600) },
  };
}

class Sink {
  down = true;
  stored = 0;
  async commitBatch(events: readonly GatewayEvent[]): Promise<void> {
    if (this.down) throw new Error('down');
    this.stored += events.length;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-spool-'));
try {
  const inner = new Sink();
  const store = await createSpoolingEventStore({ inner: inner as unknown as AuditedEventStore, path: join(dir, 'events.spool'), maxBytes: 1024 ** 3, onFull: 'keep-serving', logger });
  let t0 = performance.now();
  for (let i = 0; i < total; i++) {
    store.append(event(i));
    if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
  }
  while (store.stats().spool!.records < total) await new Promise((r) => setTimeout(r, 5));
  const spoolMs = performance.now() - t0;
  const bytes = store.stats().spool!.bytes;
  inner.down = false;
  t0 = performance.now();
  await store.flush();
  const replayMs = performance.now() - t0;
  // Healthy path: append + flush with the spool idle.
  const fresh = Array.from({ length: total }, (_, i) => event(total + i));
  t0 = performance.now();
  for (const e of fresh) store.append(e);
  await store.flush();
  const healthyMs = performance.now() - t0;
  await store.close();
  console.log(JSON.stringify({
    events: total,
    spoolBytesPerEvent: Math.round(bytes / total),
    outageToSpoolEventsPerSec: Math.round(total / (spoolMs / 1000)),
    replayEventsPerSec: Math.round(total / (replayMs / 1000)),
    healthyWrapperUsPerEvent: Number(((healthyMs * 1000) / total).toFixed(2)),
    stored: inner.stored,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
