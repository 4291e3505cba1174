import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { verifySignature } from '../../audit/export/webhook.ts';
import { defaultConfig } from '../../config/load.ts';
import { sampleEvent } from '../../store/event-store.contract.ts';
import { openEventStore } from '../../store/open.ts';
import { createLogger } from '../../telemetry/logger.ts';
import type { CliIo } from '../io.ts';
import { run } from '../main.ts';

const root = mkdtempSync(join(tmpdir(), 'bulwark-export-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const quiet = createLogger({ level: 'silent' });
const SECRET = 'cli-webhook-secret-0123456789';

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '', env, out: () => out, err: () => err };
}

const dataDir = mkdtempSync(join(root, 'data-'));
const store = await openEventStore({ config: defaultConfig({}), dataDir, logger: quiet, env: {} });
for (let i = 0; i < 6; i++) store.append(sampleEvent({ time: `2026-02-0${i + 1}T00:00:00.000Z` }));
store.append(sampleEvent({ tenant: 'acme', time: '2026-02-03T12:00:00.000Z' }));
await store.close();

describe('bulwark audit export', () => {
  test('jsonl to stdout, with --since/--until/--partition', async () => {
    const cli = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'jsonl'], cli), 0, cli.err());
    const rows = cli.out().trim().split('\n').map((l) => JSON.parse(l) as { partition: string; seq: number; hash: string });
    assert.equal(rows.length, 7);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash)));
    assert.match(cli.err(), /exported 7 events as 7 jsonl lines from sqlite/);
    const some = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'jsonl', '--since', '2026-02-02T00:00:00Z', '--until', '2026-02-04T00:00:00Z', '--partition', 'default'], some), 0, some.err());
    assert.deepEqual(some.out().trim().split('\n').map((l) => JSON.parse(l).time), ['2026-02-02T00:00:00.000Z', '2026-02-03T00:00:00.000Z']);
  });

  test('ocsf to --out (mode 0600)', async () => {
    const out = join(root, 'events.ocsf.jsonl');
    const cli = io();
    assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'ocsf', '--out', out], cli), 0, cli.err());
    const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { class_uid: number });
    assert.ok(events.filter((e) => e.class_uid === 6003).length === 7);
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });

  test('usage errors exit 2 and name the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'xml'], /--format: expected one of jsonl, ocsf, cef/],
      [['--format', 'jsonl', '--since', 'last week'], /--since: expected an ISO 8601 time/],
      [['--format', 'jsonl', '--syslog', '127.0.0.1:514'], /--syslog: sends CEF only/],
      [['--format', 'cef', '--syslog', 'nowhere'], /--syslog: expected host:port/],
      [['--format', 'jsonl', '--webhook', 'http://127.0.0.1:1/x'], /BULWARK_EXPORT_WEBHOOK_SECRET must hold the HMAC secret/],
      [['--format', 'jsonl', '--out', 'a', '--webhook', 'http://x/'], /exclusive/],
    ];
    for (const [args, message] of cases) {
      const cli = io();
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', ...args], cli), 2, args.join(' '));
      assert.match(cli.err(), message);
    }
  });

  test('cef to syslog over UDP and TCP (octet counting), and jsonl to a signed webhook', async () => {
    const udp = createSocket('udp4');
    const datagrams: string[] = [];
    udp.on('message', (m) => datagrams.push(m.toString('utf8')));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    let tcpData = '';
    const tcp = createTcpServer((s) => s.on('data', (d) => (tcpData += d.toString('utf8'))));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
    const bodies: { valid: boolean; key: string | undefined }[] = [];
    const hook = createHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      bodies.push({ valid: verifySignature(SECRET, req.headers['x-bulwark-signature'] as string, Buffer.concat(chunks).toString('utf8')), key: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', () => resolve()));
    try {
      const a = io();
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'cef', '--syslog', `127.0.0.1:${(udp.address()).port}`], a), 0, a.err());
      const b = io();
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'cef', '--syslog', `tcp://127.0.0.1:${(tcp.address() as { port: number }).port}`], b), 0, b.err());
      const c = io({ BULWARK_EXPORT_WEBHOOK_SECRET: SECRET });
      assert.equal(await run(['--data-dir', dataDir, 'audit', 'export', '--format', 'jsonl', '--webhook', `http://127.0.0.1:${(hook.address() as { port: number }).port}/in`], c), 0, c.err());
      for (let i = 0; i < 100 && (datagrams.length < 7 || !tcpData.endsWith('\n') && tcpData.split(' <').length < 7); i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(datagrams.length, 7);
      assert.ok(datagrams.every((d) => /^<1\d\d>1 \S+ \S+ bulwark - audit - CEF:0\|Bulwark\|/.test(d)));
      // Octet counting: "<len> <msg>" repeated; parse it back.
      const frames: string[] = [];
      let rest = Buffer.from(tcpData, 'utf8');
      while (rest.length > 0) {
        const space = rest.indexOf(0x20);
        const len = Number(rest.subarray(0, space).toString('ascii'));
        frames.push(rest.subarray(space + 1, space + 1 + len).toString('utf8'));
        rest = rest.subarray(space + 1 + len);
      }
      assert.deepEqual(frames, datagrams);
      assert.equal(bodies.length, 1);
      assert.equal(bodies[0]!.valid, true);
      assert.match(bodies[0]!.key!, /^[0-9a-f]{64}$/);
    } finally {
      udp.close();
      tcp.close();
      hook.close();
    }
  });
});
