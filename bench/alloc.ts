// npm run bench:alloc — bytes allocated per request on the 1 KB chat-completion path (default policy), from V8's
// sampling heap profiler with objects collected by young- and old-generation GCs included. The fixture upstream
// and the undici client run in this process too, so the gateway's own share is reported separately: each sample
// goes to the innermost frame in src/ on its stack (file and function name: tsx-transformed code reports line 1
// for everything). Allocation is what sets the scavenge rate, and scavenge pauses set the p99 (ADR 0001).
// Options: --requests=3000 --warmup=3000 --top=25 --interval=256 (bytes between samples), --leaves (also each
// src function's bytes by the frame that allocated them). Optimised code reports an inlined callee under its
// caller: `node --no-turbo-inlining --import tsx bench/alloc.ts` attributes finer (and allocates a little more).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { defaultPolicy } from '../src/config/defaults.ts';
import { Config } from '../src/config/schema.ts';
import { startGateway } from '../src/main.ts';
import { createLogger } from '../src/telemetry/logger.ts';
import { startUpstreamFixture } from '../test/fixtures/upstream.ts';
import { BenchArgs } from './args.ts';

const args = new BenchArgs();
const requests = args.number('requests', 3000);
const warmup = args.number('warmup', 3000);
const top = args.number('top', 25);
const samplingInterval = args.number('interval', 256);
const leaves = args.has('leaves');

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

const srcUrl = new URL('../src/', import.meta.url).href;
const srcPath = fileURLToPath(srcUrl);

/** `src/...` for a frame in the gateway's source, or null for anything else (node internals, node_modules, test/). */
function srcFile(url: string): string | null {
  if (url.startsWith(srcUrl)) return `src/${url.slice(srcUrl.length)}`;
  if (url.startsWith(srcPath)) return `src/${url.slice(srcPath.length)}`;
  return null;
}

function outsideLabel(frame: ProfileNode['callFrame']): string {
  const where = frame.url === '' ? '(native)' : frame.url.replace(/.*node_modules\//, 'node_modules/').replace(/.*\/(bench|test)\//, '$1/');
  return `(outside src) ${where}`;
}

interface Attribution {
  totalBytes: number;
  srcBytes: number;
  byFile: Map<string, number>;
  byFunction: Map<string, number>;
  /** `src function <- allocating frame`: which call inside a src function allocates. */
  byLeaf: Map<string, number>;
}

/** Sums each node's self size under the innermost src/ frame on its path (or its own file when there is none). */
function attribute(head: ProfileNode): Attribution {
  const result: Attribution = { totalBytes: 0, srcBytes: 0, byFile: new Map(), byFunction: new Map(), byLeaf: new Map() };
  const add = (map: Map<string, number>, key: string, bytes: number): void => {
    map.set(key, (map.get(key) ?? 0) + bytes);
  };
  const stack: Array<[ProfileNode, string | null, string | null]> = [[head, null, null]];
  while (stack.length > 0) {
    const [node, ownerFile, ownerFunction] = stack.pop()!;
    const file = srcFile(node.callFrame.url);
    const currentFile = file ?? ownerFile;
    const currentFunction = file !== null ? `${file} ${node.callFrame.functionName || '(anonymous)'}` : ownerFunction;
    const bytes = node.selfSize;
    result.totalBytes += bytes;
    if (currentFile !== null && currentFunction !== null) {
      result.srcBytes += bytes;
      add(result.byFile, currentFile, bytes);
      add(result.byFunction, currentFunction, bytes);
      if (bytes > 0) add(result.byLeaf, `${currentFunction} <- ${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/.*\//, '') || '(native)'}`, bytes);
    } else if (bytes > 0) {
      const label = outsideLabel(node.callFrame);
      add(result.byFile, label, bytes);
      add(result.byFunction, `${label} ${node.callFrame.functionName || '(anonymous)'}`, bytes);
    }
    for (const child of node.children) stack.push([child, currentFile, currentFunction]);
  }
  return result;
}

const upstream = await startUpstreamFixture({ maxRecorded: 10 });
const config = Config.parse({
  version: 1,
  logging: { level: 'info' },
  providers: [{ id: 'p', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-bench' }],
  routes: [{ match: '*', providers: ['p'] }],
  policy: defaultPolicy,
});
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-alloc-'));
const logger = createLogger({ level: 'info', destination: createWriteStream('/dev/null') });
const gateway = await startGateway({ config, dataDir, port: 0, logger });
const prompt = 'Summarise the following customer note for the support team. '.repeat(17).slice(0, 1024);
const body = JSON.stringify({ model: 'gpt-bench', messages: [{ role: 'user', content: prompt }] });
const agent = new Agent({ connections: 4 });

async function drive(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const response = await request(`${gateway.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`gateway answered ${response.statusCode}`);
  }
}

let attribution: Attribution;
try {
  await drive(warmup); // JIT, connection pools, lazily built tables
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  await drive(requests);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  attribution = attribute(profile.head as ProfileNode);
} finally {
  await gateway.close();
  await upstream.close();
  await agent.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const kb = (bytes: number): number => bytes / requests / 1024;
const rows = (map: Map<string, number>): Array<[string, number]> => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
const f = (bytes: number): string => kb(bytes).toFixed(2).padStart(7);
console.log(`alloc bench: 1 KB prompt, default policy, ${requests} requests one at a time after ${warmup} warm-up, sampling every ${samplingInterval} B`);
console.log(`  total sampled       ${f(attribution.totalBytes)} KB/request (gateway + fixture upstream + client, one process)`);
console.log(`  attributed to src/  ${f(attribution.srcBytes)} KB/request (innermost src/ frame on the stack)`);
console.log('--- by file');
for (const [name, bytes] of rows(attribution.byFile)) console.log(`${f(bytes)} KB  ${name}`);
console.log('--- by function');
for (const [name, bytes] of rows(attribution.byFunction)) console.log(`${f(bytes)} KB  ${name}`);
if (leaves) {
  console.log('--- src function <- allocating frame');
  for (const [name, bytes] of rows(attribution.byLeaf)) console.log(`${f(bytes)} KB  ${name}`);
}
const srcFiles = Object.fromEntries([...attribution.byFile].filter(([name]) => name.startsWith('src/')).sort((a, b) => b[1] - a[1]).map(([name, bytes]) => [name, Number(kb(bytes).toFixed(2))]));
console.log(JSON.stringify({
  bench: 'alloc',
  promptBytes: Buffer.byteLength(prompt),
  requests,
  samplingInterval,
  totalKbPerRequest: Number(kb(attribution.totalBytes).toFixed(2)),
  srcKbPerRequest: Number(kb(attribution.srcBytes).toFixed(2)),
  srcKbPerRequestByFile: srcFiles,
}));
process.exit(0);
