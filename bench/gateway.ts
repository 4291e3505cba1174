// npm run bench:gateway — drives the upstream fixture directly and through the gateway (default policy, SQLite
// events, JSON logs) at a fixed rate, interleaving rounds so both see the same machine, and prints the added latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile, runFixedRate, type LoadResult } from './load.ts';
import { ScavengeTrace } from './gc-trace.ts';
import { startProcess as start } from './spawn.ts';
import { BenchArgs } from './args.ts';

const args = new BenchArgs();
const rate = args.number('rate', 1000);
const seconds = args.number('seconds', 5);
const rounds = args.number('rounds', 3);

const prompt = 'Summarise the following customer note for the support team. '.repeat(17).slice(0, 1024);
const body = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: prompt }] });
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
const upstreamPort = 19_000 + Math.floor(Math.random() * 500);
const gatewayPort = upstreamPort + 1000;
const barePort = upstreamPort + 2000;
const upstream = await start(['--import', 'tsx', 'test/fixtures/upstream-cli.ts', '--port', String(upstreamPort)], {}, `http://127.0.0.1:${upstreamPort}/v1/models`);
const configFile = args.string('config');
// --gateway-node-flags="--max-semi-space-size=64 ..." runs the gateway process with extra V8/Node flags (tuning experiments).
const gatewayNodeFlags = (args.string('gateway-node-flags') ?? '').split(' ').filter((flag) => flag.length > 0);
// The gateway's young-generation GCs during the measured rounds: their pauses are what its p99 is made of.
const gc = new ScavengeTrace();
const gateway = await start(['--trace-gc-nvp', ...gatewayNodeFlags, 'bin/bulwark.js', 'serve', '--port', String(gatewayPort), ...(configFile ? ['--config', configFile] : [])], { OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`, OPENAI_API_KEY: 'sk-bench', BULWARK_DATA_DIR: dataDir, BULWARK_CONFIG: '' }, `http://127.0.0.1:${gatewayPort}/healthz`, (data) => gc.feed(data));

// The floor: the same hop through a pass-through proxy that does nothing else (bench/bare-proxy.ts).
const bare = await start(['--import', 'tsx', 'bench/bare-proxy.ts', `--port=${barePort}`, `--upstream=http://127.0.0.1:${upstreamPort}`], {}, `http://127.0.0.1:${barePort}/v1/models`);

const run = (port: number): Promise<LoadResult> => runFixedRate({ origin: `http://127.0.0.1:${port}`, path: '/v1/chat/completions', body, rate, seconds, connections: 64 });
try {
  await run(upstreamPort);
  await run(gatewayPort); // warm-up: JIT, connection pools
  await run(barePort);
  const direct: number[] = [];
  const proxied: number[] = [];
  const floor: number[] = [];
  let errors = 0;
  let achieved = 0;
  for (let round = 0; round < rounds; round += 1) {
    const a = await run(upstreamPort);
    gc.recording = true;
    const b = await run(gatewayPort);
    gc.recording = false;
    const c = await run(barePort);
    direct.push(...a.latencies);
    proxied.push(...b.latencies);
    floor.push(...c.latencies);
    errors += a.errors + b.errors + c.errors;
    achieved += (b.latencies.length / b.durationMs) * 1000;
  }
  const summary = {
    bench: 'gateway',
    promptBytes: Buffer.byteLength(prompt),
    targetRate: rate,
    gatewayRequestsPerSecond: Math.round(achieved / rounds),
    samples: { direct: direct.length, gateway: proxied.length, bareProxy: floor.length },
    errors,
    directMs: { p50: quantile(direct, 0.5), p99: quantile(direct, 0.99) },
    gatewayMs: { p50: quantile(proxied, 0.5), p99: quantile(proxied, 0.99) },
    bareProxyMs: { p50: quantile(floor, 0.5), p99: quantile(floor, 0.99) },
    addedMs: { p50: quantile(proxied, 0.5) - quantile(direct, 0.5), p99: quantile(proxied, 0.99) - quantile(direct, 0.99) },
    bareProxyAddedMs: { p50: quantile(floor, 0.5) - quantile(direct, 0.5), p99: quantile(floor, 0.99) - quantile(direct, 0.99) },
    gatewayGc: {
      scavenges: gc.pausesMs.length,
      pauseMs: { p50: quantile(gc.pausesMs, 0.5), max: Math.max(0, ...gc.pausesMs) },
      survivedKbPerRequest: proxied.length > 0 ? gc.survivedBytes / 1024 / proxied.length : 0,
      promotedKbPerRequest: proxied.length > 0 ? gc.promotedBytes / 1024 / proxied.length : 0,
    },
    goal: { addedP50Ms: 1, addedP99Ms: 3 },
  };
  const f = (value: number): string => value.toFixed(3);
  console.log(`gateway bench: 1 KB prompt, default policy, ${rate} req/s target, ${rounds} x ${seconds}s rounds interleaved`);
  console.log(`  gateway throughput   ${summary.gatewayRequestsPerSecond} req/s (errors ${errors})`);
  console.log(`  direct   p50 ${f(summary.directMs.p50)} ms  p99 ${f(summary.directMs.p99)} ms`);
  console.log(`  gateway  p50 ${f(summary.gatewayMs.p50)} ms  p99 ${f(summary.gatewayMs.p99)} ms`);
  console.log(`  bare     p50 ${f(summary.bareProxyMs.p50)} ms  p99 ${f(summary.bareProxyMs.p99)} ms   (pass-through node:http + undici proxy, no scanning)`);
  console.log(`  added    p50 ${f(summary.addedMs.p50)} ms  p99 ${f(summary.addedMs.p99)} ms   (goal <= 1 ms / <= 3 ms)`);
  console.log(`  floor    p50 ${f(summary.bareProxyAddedMs.p50)} ms  p99 ${f(summary.bareProxyAddedMs.p99)} ms   (what the bare proxy hop adds)`);
  const g = summary.gatewayGc;
  console.log(`  gateway GC: ${g.scavenges} scavenges, pause p50 ${f(g.pauseMs.p50)} ms max ${f(g.pauseMs.max)} ms, ${f(g.survivedKbPerRequest)} KB of each request survived one (${f(g.promotedKbPerRequest)} KB promoted)`);
  console.log(JSON.stringify(summary));
} finally {
  gateway.kill('SIGTERM');
  bare.kill('SIGTERM');
  upstream.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  rmSync(dataDir, { recursive: true, force: true });
}
