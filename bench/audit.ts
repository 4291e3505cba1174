// npm run bench:audit [-- --count=50000 --runs=3 --pg-only --sqlite-only]
// Audit chain throughput with realistic gateway events (six scanner records, one finding, ~1 KB of
// redacted content), through the real EventStore path: append() as fast as the loop allows, then
// flush(); every event is chained (SHA-256) and checkpoints are signed (Ed25519, every 1 000 records).
// Then verifyChain over everything written (recompute every hash, check links, seq and checkpoints).
// SQLite always; PostgreSQL too when reachable (test/support/services.ts; BULWARK_TEST_POSTGRES_URL),
// in a throwaway schema. Prints the median of --runs runs. Goals: >= 20 000 events/s written,
// >= 100 000 records/s verified.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import pg from 'pg';
import { POSTGRES_TEST_URL, servicesAvailable } from '../test/support/services.ts';
import { loadAuditSigningKey } from '../src/audit/signing-key.ts';
import { createPostgresEventStore } from '../src/store/postgres-event-store.ts';
import { createSqliteEventStore } from '../src/store/sqlite-event-store.ts';
import type { AuditedEventStore, GatewayEvent } from '../src/store/types.ts';
import { createLogger } from '../src/telemetry/logger.ts';
import { BenchArgs } from './args.ts';

const args = new BenchArgs();
const count = args.number('count', 50_000);
const runs = args.number('runs', 3);
const logger = createLogger({ level: 'warn' });
const root = mkdtempSync(join(tmpdir(), 'bulwark-bench-audit-'));
const audit = { signingKey: loadAuditSigningKey(join(root, 'keys'), {}), checkpointEveryRecords: 1_000 };
const content = 'Summarise the attached contract for [PERSON_1] at [EMAIL_1]; flag clauses about liability. '.repeat(11);

let serial = 0;
function makeEvent(): GatewayEvent {
  serial++;
  const scanner = (name: string, outcome: 'pass' | 'flag') => ({ instance: name, scanner: `text/${name}`, phase: 'request', outcome, score: outcome === 'flag' ? 0.91 : null, latencyMs: 0.35 });
  return {
    id: `evt_${serial}_${randomBytes(5).toString('hex')}`,
    requestId: `req_${serial}`,
    time: new Date().toISOString(),
    route: 'openai.chat',
    model: 'gpt-4o-mini',
    provider: 'openai',
    policy: 'default',
    decision: 'flag',
    status: 200,
    findings: [{ instance: 'pii', scanner: 'text/pii', ruleId: 'pii/EMAIL', severity: 'medium', score: 0.91, segmentId: 'm0.c0', origin: 'user', span: [40, 57], action: 'redact', message: 'e-mail address', evidence: 'a***@example.com' }],
    scanners: [scanner('pii', 'flag'), scanner('secrets', 'pass'), scanner('injection', 'pass'), scanner('hidden-characters', 'pass'), scanner('term-list', 'pass'), scanner('size-limits', 'pass')],
    inputTokens: 412,
    outputTokens: 128,
    upstreamLatencyMs: 812.4,
    totalLatencyMs: 830.9,
    streamed: false,
    content: { request: content, response: 'The contract limits liability to direct damages.' },
    contentMode: 'redacted',
    project: 'prj_bench',
    keyId: 'key_bench',
  };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Appends `count` pre-built events through the store, yielding to the loop every 1 000 as a server would, then flushes. */
async function writeRun(store: AuditedEventStore): Promise<{ wall: number; cpu: number }> {
  const events = Array.from({ length: count }, makeEvent);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < events.length; i++) {
    store.append(events[i]!);
    if (i % 1_000 === 999) await yieldToLoop();
  }
  await store.flush();
  return { wall: (count * 1000) / (performance.now() - started), cpu: perCpuSecond(count, cpu) };
}

/** Items per second of CPU time this process used (all its threads): what an unshared core pair would sustain. */
function perCpuSecond(items: number, since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (items * 1e6) / (used.user + used.system);
}

async function bench(name: string, open: (run: number) => Promise<AuditedEventStore>): Promise<void> {
  const writes: number[] = [];
  const writesCpu: number[] = [];
  const verifies: number[] = [];
  const verifiesCpu: number[] = [];
  const sequential: number[] = [];
  const sequentialCpu: number[] = [];
  let workers = 0;
  for (let run = 0; run < runs; run++) {
    const store = await open(run);
    try {
      const written = await writeRun(store);
      writes.push(written.wall);
      writesCpu.push(written.cpu);
      // Sequential (one thread, as before parallel verification) then the default (worker threads plus the calling thread), on the same data.
      let cpu = process.cpuUsage();
      const single = await store.verifyChain({ workers: 0 });
      sequentialCpu.push(perCpuSecond(single.records, cpu));
      if (!single.ok || single.records !== count) throw new Error(`${name}: sequential verification failed: ${JSON.stringify(single.problems)} (${single.records} records)`);
      sequential.push(single.recordsPerSecond);
      cpu = process.cpuUsage();
      const result = await store.verifyChain();
      verifiesCpu.push(perCpuSecond(result.records, cpu));
      if (!result.ok || result.records !== count) throw new Error(`${name}: verification failed: ${JSON.stringify(result.problems)} (${result.records} records)`);
      verifies.push(result.recordsPerSecond);
      workers = result.workers ?? 0;
    } finally {
      await store.close();
    }
  }
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ');
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`${name}: chained writes  median ${n(median(writes))} events/s wall  (runs: ${fmt(writes)}; goal >= 20,000); ${n(median(writesCpu))} events per CPU-second (process, all threads)`);
  console.log(`${name}: verification    median ${n(median(verifies))} records/s wall (runs: ${fmt(verifies)}; goal >= 100,000; ${workers} threads); ${n(median(verifiesCpu))} records per CPU-second (process, all threads)`);
  console.log(`${name}: verification, one thread  median ${n(median(sequential))} records/s wall (runs: ${fmt(sequential)}); ${n(median(sequentialCpu))} records per CPU-second`);
}

console.log(`audit chain bench: ${count.toLocaleString('en-US')} events per run, ${runs} runs, node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
try {
  if (!args.has('pg-only')) {
    await bench('sqlite', async (run) => createSqliteEventStore({ path: join(root, `run-${run}`, 'events.db'), logger, audit, ...(args.has('max-batch') ? { maxBatch: args.number('max-batch', 0) } : {}) }));
  }
  if (!args.has('sqlite-only')) {
    const service = await servicesAvailable('postgres');
    if (!service.ok) console.log(`postgres: skipped (${service.reason})`);
    else {
      const prefix = `bulwark_bench_${randomBytes(4).toString('hex')}`;
      try {
        await bench('postgres', async (run) => createPostgresEventStore({ connectionString: POSTGRES_TEST_URL, schema: `${prefix}_${run}`, logger, audit }));
      } finally {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        for (let run = 0; run < runs; run++) await client.query(`DROP SCHEMA IF EXISTS ${prefix}_${run} CASCADE`);
        await client.end();
      }
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
