// npm run bench:stream — streamed answers from the upstream fixture, paced like a model (one small chunk every
// --pace ms), requested directly and through the gateway in interleaved rounds. Prints added time to first token
// (first non-empty content delta) and added total time, for the default policy and for a strict streaming policy
// (listed phrases, canary, hidden characters), and that policy plus a regex, at the default hold-back window.
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { quantile } from './load.ts';
import { startProcess } from './spawn.ts';
import { BenchArgs } from './args.ts';

const args = new BenchArgs();
const pace = args.number('pace', 10);
const perRound = args.number('requests', 30);
const rounds = args.number('rounds', 3);
const answer = 'Thanks for your question. Here is a detailed answer that goes on for a while, the way a model does when it explains something step by step. '.repeat(4);
const body = JSON.stringify({ model: 'gpt-bench', stream: true, messages: [{ role: 'user', content: `say: ${answer}` }] });

interface Timing {
  ttft: number;
  total: number;
}

/** One streamed request: time to the first frame carrying answer text, and to the end of the stream. */
function timeStream(port: number): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttft = -1;
    let text = '';
    const req = request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (ttft < 0 && /"content":"[^"]/.test(text)) ttft = performance.now() - started;
      });
      res.on('end', () => (res.statusCode === 200 && ttft >= 0 ? resolve({ ttft, total: performance.now() - started }) : reject(new Error(`status ${res.statusCode}: ${text.slice(0, 200)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const strictPolicy = {
  name: 'strict-stream',
  canary: { enabled: true },
  scanners: [
    { id: 'hidden', scanner: 'text/hidden-characters', phases: ['response-stream'], action: 'block' },
    { id: 'banned', scanner: 'text/term-list', phases: ['response-stream'], action: 'block', config: { terms: ['forbidden phrase', 'project nightingale', 'internal use only'] } },
    { id: 'canary', scanner: 'leak/canary', phases: ['response-stream'], action: 'block' },
  ],
};
/** A scanner that cannot say how much of the tail is pending (RE2 has no partial matches) holds the whole window. */
const regexPolicy = {
  ...strictPolicy,
  name: 'strict-with-regex',
  scanners: [...strictPolicy.scanners, { id: 'cards', scanner: 'text/regex', phases: ['response-stream'], action: 'redact', config: { patterns: [{ id: 'card', pattern: '4[0-9]{3}(?: ?[0-9]{4}){3}' }] } }],
};

async function measure(name: string, policy: object | null, upstreamPort: number, gatewayPort: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-stream-'));
  const configPath = join(dataDir, 'bulwark.yaml');
  const config = {
    version: 1,
    logging: { level: 'warn' },
    providers: [{ id: 'fixture', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${upstreamPort}/v1`, apiKey: 'sk-bench' }],
    routes: [{ match: '*', providers: ['fixture'] }],
    ...(policy ? { policy } : {}),
  };
  writeFileSync(configPath, JSON.stringify(config));
  let gateway: ChildProcess | null = null;
  try {
    gateway = await startProcess(['bin/bulwark.js', 'serve', '--port', String(gatewayPort), '--config', configPath], { BULWARK_DATA_DIR: dataDir }, `http://127.0.0.1:${gatewayPort}/healthz`);
    for (let i = 0; i < 5; i++) {
      await timeStream(upstreamPort);
      await timeStream(gatewayPort);
    }
    const direct: Timing[] = [];
    const proxied: Timing[] = [];
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < perRound; i++) direct.push(await timeStream(upstreamPort));
      for (let i = 0; i < perRound; i++) proxied.push(await timeStream(gatewayPort));
    }
    const median = (values: number[]) => quantile(values, 0.5);
    const ttft = { direct: median(direct.map((t) => t.ttft)), gateway: median(proxied.map((t) => t.ttft)) };
    const total = { direct: median(direct.map((t) => t.total)), gateway: median(proxied.map((t) => t.total)) };
    const f = (value: number) => value.toFixed(2).padStart(8);
    console.log(`${name.padEnd(16)} ttft direct ${f(ttft.direct)} ms  gateway ${f(ttft.gateway)} ms  added ${f(ttft.gateway - ttft.direct)} ms | total direct ${f(total.direct)} ms  gateway ${f(total.gateway)} ms  added ${f(total.gateway - total.direct)} ms`);
    console.log(JSON.stringify({ bench: 'stream', policy: name, paceMs: pace, samples: direct.length, ttftMs: ttft, totalMs: total, addedTtftMs: ttft.gateway - ttft.direct, addedTotalMs: total.gateway - total.direct, goal: { addedTtftMs: 5 } }));
  } finally {
    gateway?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const upstreamPort = 21_000 + Math.floor(Math.random() * 500);
const upstream = await startProcess(['--import', 'tsx', 'test/fixtures/upstream-cli.ts', '--port', String(upstreamPort), '--chunk-size', '4', '--behavior', `stream-delay:${pace}`], {}, `http://127.0.0.1:${upstreamPort}/v1/models`);
try {
  console.log(`stream bench: ${answer.length}-char answer in 4-char chunks every ${pace} ms, ${rounds} x ${perRound} sequential requests per side, medians; default hold-back window (64 chars)`);
  await measure('default policy', null, upstreamPort, upstreamPort + 1000);
  await measure('strict streaming', strictPolicy, upstreamPort, upstreamPort + 1001);
  await measure('strict + regex', regexPolicy, upstreamPort, upstreamPort + 1002);
} finally {
  upstream.kill('SIGTERM');
}
