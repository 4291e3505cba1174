import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { createSqliteKeyStore } from '../../src/auth/sqlite-key-store.ts';
import { startUpstreamFixture } from '../fixtures/upstream.ts';
import { REDIS_TEST_URL, servicesAvailable, skipOrFail } from '../support/services.ts';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'bulwark.js');
const limit = 200;
const offered = 2 * limit;
const inFlight = 24;

/** Starts `bulwark serve` on a free port and resolves with its URL once it logs that it listens. */
function serve(config: string, dataDir: string, started: ChildProcess[]): Promise<{ child: ChildProcess; url: string; stderr: string[] }> {
  const child = spawn(process.execPath, [bin, 'serve', '-c', config, '-p', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BULWARK_CONFIG: '' } });
  // Tracked at once, so a sibling that fails to start cannot leave this one running (and the test hanging).
  started.push(child);
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start within 30 s: ${stderr.join('')}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${stderr.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'bulwark gateway listening' && entry.url) {
          clearTimeout(timer);
          resolve({ child, url: entry.url, stderr });
        }
      } catch {
        // not a log line
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('rate limits shared through Redis by three gateway processes', () => {
  it(`admits no more than the tenant's ${limit} requests per minute across all three`, { timeout: 120_000 }, async (t) => {
    const probe = await servicesAvailable('redis');
    if (!probe.ok) return skipOrFail(t, probe.reason);
    const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-cluster-'));
    const upstream = await startUpstreamFixture({ maxRecorded: 10 });
    const children: ChildProcess[] = [];
    try {
      const keys = createSqliteKeyStore({ path: join(dataDir, 'control.db') });
      const tenant = keys.createTenant('cluster');
      const project = keys.createProject(tenant.id, 'load');
      // Three keys in two projects: the tenant-wide limit must hold across all of them.
      const other = keys.createProject(tenant.id, 'load-2');
      const apiKeys = [keys.createKey({ tenantId: tenant.id, projectId: project.id }).key, keys.createKey({ tenantId: tenant.id, projectId: project.id }).key, keys.createKey({ tenantId: tenant.id, projectId: other.id }).key];
      keys.close();
      const config = join(dataDir, 'bulwark.yaml');
      writeFileSync(
        config,
        [
          'version: 1',
          'logging: { level: info }',
          'providers:',
          `  - { id: up, type: openai-compatible, baseUrl: "${upstream.url}/v1", apiKey: sk-upstream }`,
          'routes:',
          '  - { match: "gpt-*", providers: [up], retry: { attempts: 0 } }',
          'policy: { name: cluster, scanners: [] }',
          'limits:',
          '  store: redis',
          `  redis: { url: "${REDIS_TEST_URL}", keyPrefix: "bulwark:limits:test-${randomUUID().slice(0, 8)}:" }`,
          `  defaults: { tenant: { requestsPerMinute: ${limit} } }`,
          '',
        ].join('\n'),
      );
      const gateways = await Promise.all([0, 1, 2].map(() => serve(config, dataDir, children)));

      const statuses = new Map<number, number>();
      const perGateway = [0, 0, 0];
      let next = 0;
      const started = performance.now();
      const worker = async (): Promise<void> => {
        while (next < offered) {
          const index = next;
          next += 1;
          const response = await fetch(`${gateways[index % 3]!.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKeys[index % apiKeys.length]}` },
            body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: `hello ${index}` }] }),
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200) perGateway[index % 3]! += 1;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      const seconds = (performance.now() - started) / 1000;
      const admitted = statuses.get(200) ?? 0;
      const summary = `cluster: limit ${limit}/min, offered ${offered} through 3 processes in ${seconds.toFixed(1)} s; admitted ${admitted} (per process ${perGateway.join('/')}), statuses ${JSON.stringify(Object.fromEntries(statuses))}`;
      console.log(summary);
      t.diagnostic(summary);
      assert.deepEqual([...statuses.keys()].filter((status) => status !== 200 && status !== 429), [], 'only 200 and 429 answers');
      assert.ok(admitted <= limit * 1.01, `admitted ${admitted} > ${limit} + 1%`);
      assert.ok(admitted >= limit * 0.99, `admitted ${admitted} < ${limit} - 1% although ${offered} were offered`);
      assert.ok(perGateway.every((count) => count > 0), 'every process admitted some');
    } finally {
      await Promise.all(children.map(stop));
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
