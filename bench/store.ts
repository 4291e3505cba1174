// node --import tsx bench/store.ts [--rate=1000 --count=20000 --burst=5000 --content --impl=path/to/sqlite-event-store.ts]
// Appends events to the SQLite store at a fixed rate and reports what the store costs the MAIN thread:
// - time inside append();
// - time inside every other callback on the main thread (the store's timers and worker messages),
//   attributed with async_hooks, with the longest one (a stall) and how many took over 1 ms;
// - event-loop utilisation and event-loop delay p99/max, beside a no-op store driven the same way
//   (these two include the machine's own noise, which the callback times do not);
// - then a burst appended at once, and the longest main-thread callback while it drains.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHook } from 'node:async_hooks';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { createLogger } from '../src/telemetry/logger.ts';
import type { EventStore, GatewayEvent } from '../src/store/types.ts';
import { BenchArgs } from './args.ts';

type StoreModule = typeof import('../src/store/sqlite-event-store.ts');

const args = new BenchArgs();
const rate = args.number('rate', 1000);
const count = args.number('count', 20_000);
const withContent = args.has('content');
const burstSize = args.number('burst', 5_000);
const implPath = resolve(args.string('impl') ?? join(import.meta.dirname, '..', 'src', 'store', 'sqlite-event-store.ts'));
const { createSqliteEventStore } = (await import(pathToFileURL(implPath).href)) as StoreModule;

let serial = 0;
/** A gateway-sized event: six scanner records, one finding, optionally 1 KB of redacted content. */
function makeEvent(): GatewayEvent {
  serial++;
  return {
    id: `evt_${serial}_${Math.random().toString(36).slice(2, 10)}`,
    requestId: `req_${serial}`,
    time: new Date().toISOString(),
    route: 'openai.chat',
    model: 'gpt-4o-mini',
    provider: 'openai',
    policy: 'default',
    decision: 'flag',
    status: 200,
    findings: [{ instance: 'pii.email', scanner: 'text/regex', ruleId: 'email', severity: 'high', score: 0.93, segmentId: 'm0.c0', origin: 'user', span: [5, 22], action: 'flag', message: 'e-mail address' }],
    scanners: Array.from({ length: 6 }, (_, i) => ({ instance: `scanner-${i}`, scanner: 'text/regex', phase: 'request', outcome: 'pass' as const, score: null, latencyMs: 0.12 })),
    inputTokens: 120,
    outputTokens: 340,
    upstreamLatencyMs: 12.5,
    totalLatencyMs: 14.25,
    streamed: false,
    content: withContent ? { request: 'Summarise the following customer note. '.repeat(27).slice(0, 1024) } : null,
  };
}

/** Times top-level callbacks on this thread, except the driver's own timers and promise reactions. */
class CallbackClock {
  total = 0n;
  max = 0n;
  over1ms = 0;
  readonly durations: number[] = [];
  private readonly driver = new Set<number>();
  private readonly ignored = new Set<number>();
  private depth = 0;
  private start = 0n;
  private markDriver = false;
  private readonly hook = createHook({
    init: (asyncId, type) => {
      if (this.markDriver) this.driver.add(asyncId);
      else if (type === 'PROMISE') this.ignored.add(asyncId);
    },
    before: (asyncId) => {
      if (this.depth++ === 0 && !this.driver.has(asyncId) && !this.ignored.has(asyncId)) this.start = process.hrtime.bigint();
    },
    after: () => {
      // enable() runs inside a callback whose 'before' was never seen: do not count its 'after'.
      if (this.depth === 0) return;
      if (--this.depth !== 0 || this.start === 0n) return;
      const took = process.hrtime.bigint() - this.start;
      this.start = 0n;
      this.total += took;
      this.durations.push(Number(took) / 1e6);
      if (took > this.max) this.max = took;
      if (took > 1_000_000n) this.over1ms++;
    },
    destroy: (asyncId) => {
      this.driver.delete(asyncId);
      this.ignored.delete(asyncId);
    },
  });

  enable(): void {
    this.hook.enable();
  }

  disable(): void {
    this.hook.disable();
  }

  /** The q-th percentile (0-100) of callback durations, in ms. */
  percentile(q: number): number {
    const sorted = [...this.durations].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? 0;
  }

  /** setTimeout whose callback is the benchmark's, not the store's. */
  driverTimeout(fn: () => void, ms: number): void {
    this.markDriver = true;
    try {
      setTimeout(fn, ms);
    } finally {
      this.markDriver = false;
    }
  }
}

interface PhaseResult {
  callbackMs: number;
  callbacks: number;
  p99CallbackMs: number;
  maxCallbackMs: number;
  callbacksOver1ms: number;
  gcMs: number;
  appendMs: number;
  activeMs: number;
  elu: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  wallMs: number;
}

/** Drives `store.append` at `rate` per second for `count` events, measuring only the append window. */
async function drive(store: Pick<EventStore, 'append'>): Promise<PhaseResult> {
  const events = Array.from({ length: count }, makeEvent);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const clock = new CallbackClock();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  let appendNs = 0n;
  let sent = 0;
  gc.observe({ entryTypes: ['gc'] });
  clock.enable();
  histogram.enable();
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  await new Promise<void>((done) => {
    const tick = (): void => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000));
      const t0 = process.hrtime.bigint();
      while (sent < due) store.append(events[sent++]!);
      appendNs += process.hrtime.bigint() - t0;
      if (sent >= count) done();
      else clock.driverTimeout(tick, 1);
    };
    tick();
  });
  // A few more flush intervals so the last batch's timer and reply fall inside the window too.
  await new Promise<void>((r) => clock.driverTimeout(r, 200));
  const elu = performance.eventLoopUtilization(elu0);
  histogram.disable();
  clock.disable();
  gc.disconnect();
  return {
    callbackMs: Number(clock.total) / 1e6,
    callbacks: clock.durations.length,
    p99CallbackMs: clock.percentile(99),
    maxCallbackMs: Number(clock.max) / 1e6,
    callbacksOver1ms: clock.over1ms,
    gcMs,
    appendMs: Number(appendNs) / 1e6,
    activeMs: elu.active,
    elu: elu.utilization,
    delayP50Ms: histogram.percentile(50) / 1e6,
    delayP99Ms: histogram.percentile(99) / 1e6,
    delayMaxMs: histogram.max / 1e6,
    wallMs: performance.now() - start,
  };
}

/**
 * Appends `burstSize` events in one go (a traffic spike, or a queue left by a disk outage) and
 * waits for them: the longest main-thread callback while they drain is the stall a request could see.
 */
async function burstDrain(store: EventStore): Promise<{ events: number; drainMs: number; maxCallbackMs: number; callbackMs: number }> {
  const events = Array.from({ length: burstSize }, makeEvent);
  const clock = new CallbackClock();
  const total = (await store.count()) + burstSize;
  clock.enable();
  const t0 = performance.now();
  for (const event of events) store.append(event);
  // Poll rather than flush(): flush() would drain synchronously in some stores, hiding the stalls
  // their own timers cause; the polls run in driver timers, which the clock does not count.
  await new Promise<void>((done) => {
    const poll = (): void => {
      void store.count().then((n) => (n >= total ? done() : clock.driverTimeout(poll, 2)));
    };
    clock.driverTimeout(poll, 2);
  });
  const drainMs = performance.now() - t0;
  clock.disable();
  return { events: burstSize, drainMs, maxCallbackMs: Number(clock.max) / 1e6, callbackMs: Number(clock.total) / 1e6 };
}

const root = mkdtempSync(join(tmpdir(), 'bulwark-store-bench-'));
try {
  // The no-op store measures the driver itself, so its cost can be subtracted.
  const sink: GatewayEvent[] = [];
  const baseline = await drive({ append: (event) => void sink.push(event) });
  sink.length = 0;

  const store = createSqliteEventStore({ path: join(root, 'events.db'), logger: createLogger({ level: 'warn' }) });
  const measured = await drive(store);
  const burst = await burstDrain(store);
  const t0 = performance.now();
  await store.close();
  const closeMs = performance.now() - t0;
  const check = createSqliteEventStore({ path: join(root, 'events.db'), logger: createLogger({ level: 'warn' }) });
  const stored = await check.count();
  await check.close();

  const storeMs = measured.activeMs - baseline.activeMs;
  const fmt = (n: number): string => n.toFixed(2);
  console.log(`store: ${implPath}`);
  console.log(`${count} events at ${rate}/s${withContent ? ' with 1 KB content' : ''}; stored ${stored}`);
  console.log(`append(): ${fmt(measured.appendMs)} ms total, ${fmt((measured.appendMs * 1000) / count)} µs/event`);
  console.log(`store callbacks (timers, worker messages): ${fmt(measured.callbackMs)} ms total, ${fmt((measured.callbackMs * 1000) / count)} µs/event; ${measured.callbacks} callbacks, p99 ${fmt(measured.p99CallbackMs)} ms, longest ${fmt(measured.maxCallbackMs)} ms, ${measured.callbacksOver1ms} over 1 ms (no-op: ${fmt(baseline.callbackMs)} ms, longest ${fmt(baseline.maxCallbackMs)} ms)`);
  console.log(`GC during the run: ${fmt(measured.gcMs)} ms (no-op ${fmt(baseline.gcMs)} ms)`);
  console.log(`main-thread active: ${fmt(measured.activeMs)} ms (no-op store ${fmt(baseline.activeMs)} ms) -> store ${fmt(storeMs)} ms, ${fmt((storeMs * 1000) / count)} µs/event; ELU ${fmt(measured.elu * 100)}% (no-op ${fmt(baseline.elu * 100)}%)`);
  console.log(`event-loop delay p50/p99/max: ${fmt(measured.delayP50Ms)}/${fmt(measured.delayP99Ms)}/${fmt(measured.delayMaxMs)} ms (no-op ${fmt(baseline.delayP50Ms)}/${fmt(baseline.delayP99Ms)}/${fmt(baseline.delayMaxMs)} ms)`);
  console.log(`burst of ${burst.events} appended at once: drained in ${fmt(burst.drainMs)} ms; longest main-thread callback ${fmt(burst.maxCallbackMs)} ms (${fmt(burst.callbackMs)} ms in all)`);
  console.log(`close(): ${fmt(closeMs)} ms`);
  console.log(
    JSON.stringify({
      bench: 'store',
      count,
      rate,
      content: withContent,
      stored,
      appendUsPerEvent: (measured.appendMs * 1000) / count,
      callbackUsPerEvent: (measured.callbackMs * 1000) / count,
      p99CallbackMs: measured.p99CallbackMs,
      maxCallbackMs: measured.maxCallbackMs,
      callbacksOver1ms: measured.callbacksOver1ms,
      gcMs: measured.gcMs,
      storeMainThreadMs: storeMs,
      storeMainThreadUsPerEvent: (storeMs * 1000) / count,
      elu: measured.elu,
      eluNoop: baseline.elu,
      delayP99Ms: measured.delayP99Ms,
      delayMaxMs: measured.delayMaxMs,
      delayP99MsNoop: baseline.delayP99Ms,
      delayMaxMsNoop: baseline.delayMaxMs,
      burstEvents: burst.events,
      burstDrainMs: burst.drainMs,
      burstMaxCallbackMs: burst.maxCallbackMs,
      closeMs,
    }),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
