import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { GatewayEvent } from '../store/types.ts';
import { Alerting, AlertRule } from './config.ts';
import { signatureHeader, verifySignature } from './deliver.ts';
import { AlertEngine, alertConfigProblems } from './engine.ts';
import { globMatch } from '../text/glob.ts';

const logger = pino({ level: 'silent' });

/** A local webhook receiver; answers each POST with the next status of `script` (then 200). */
class Receiver {
  readonly received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  script: number[] = [];
  server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(this.script.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  bodies(path: string): Record<string, unknown>[] {
    return this.received.filter((entry) => entry.path === path).map((entry) => JSON.parse(entry.body) as Record<string, unknown>);
  }
}

let counter = 0;
function event(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  counter++;
  return {
    id: `evt_${counter}`, requestId: `req_${counter}`, time: new Date().toISOString(), route: 'openai.chat', model: 'gpt-test', provider: 'p', policy: 'default',
    decision: 'block', status: 400, findings: [], scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false,
    content: { request: 'user: my password is hunter2' }, tenant: 'acme', keyId: 'key_1',
    ...overrides,
  };
}

const finding = (ruleId: string, scanner = 'x/y') => ({ instance: 'i', scanner, ruleId, severity: 'high', score: 1, segmentId: 's', origin: 'user', span: [0, 1] as [number, number], action: 'block', message: 'matched "hunter2"', evidence: 'hunter2' });

describe('alert engine with a local webhook receiver', () => {
  const receiver = new Receiver();
  let engines: AlertEngine[] = [];
  before(() => receiver.start());
  after(() => receiver.server.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script = [];
  });
  const engine = (rules: unknown[], alerting: Record<string, unknown>): AlertEngine => {
    const created = new AlertEngine({ rules: rules.map((rule) => AlertRule.parse(rule)), alerting: Alerting.parse(alerting), policy: 'default', logger, env: { HOOK_SECRET: 'whsec-test-1' } });
    engines.push(created);
    return created;
  };
  after(async () => {
    for (const created of engines) await created.close(100);
    engines = [];
  });

  it('fires a threshold rule once per cooldown, folding repeats into a count, with a valid HMAC signature', async () => {
    const alerts = engine(
      [{ id: 'secrets-burst', when: { decision: 'block', ruleId: 'secrets/*', minCount: 3, windowSeconds: 60 }, severity: 'high', channels: ['ops'] }],
      { channels: [{ id: 'ops', url: `${receiver.url}/ops`, secret: { env: 'HOOK_SECRET' } }], builtins: { blocksPerMinutePerKey: 0, newSignatureRule: false }, cooldownSeconds: 60 },
    );
    const t0 = Date.now();
    for (let i = 0; i < 2; i++) alerts.observe(event({ findings: [finding('secrets/aws-access-key')] }));
    alerts.observe(event({ findings: [finding('pii/email')] }));
    alerts.tick(t0);
    await alerts.idle();
    assert.equal(receiver.received.length, 0, 'two matching events are below minCount');
    for (let i = 0; i < 7; i++) alerts.observe(event({ findings: [finding('secrets/github-token')] }));
    alerts.tick(t0 + 1000);
    await alerts.idle();
    const sent = receiver.bodies('/ops');
    assert.equal(sent.length, 1, 'one alert within the cooldown');
    assert.equal(sent[0]!.rule, 'secrets-burst');
    assert.equal(sent[0]!.count, 3);
    assert.deepEqual(sent[0]!.group, { tenant: 'acme', keyId: 'key_1' });
    assert.equal(sent[0]!.severity, 'high');
    assert.deepEqual(sent[0]!.findingRuleIds, ['secrets/github-token']);
    // No raw content, finding messages or evidence leave the gateway.
    assert.doesNotMatch(receiver.received[0]!.body, /hunter2|password|matched/);
    const header = String(receiver.received[0]!.headers['x-bulwark-signature']);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verifySignature('whsec-test-1', header, receiver.received[0]!.body));
    assert.ok(!verifySignature('other-secret', header, receiver.received[0]!.body));
    assert.ok(!verifySignature('whsec-test-1', header, receiver.received[0]!.body.replace('"high"', '"low"')));
    // The cooldown ends: one summary carries the folded repeats (6 more matching events = 2 more triggers of 3).
    alerts.tick(t0 + 61_000);
    await alerts.idle();
    const after = receiver.bodies('/ops');
    assert.equal(after.length, 2);
    assert.equal(after[1]!.repeat, true);
    assert.equal(after[1]!.count, 6);
  });

  it('alerts on a canary leak at once, in Slack format', async () => {
    const alerts = engine([], { channels: [{ id: 'chat', format: 'slack', url: `${receiver.url}/slack` }], builtins: { blocksPerMinutePerKey: 0 } });
    alerts.observe(event({ findings: [finding('canary/leak', 'leak/canary')] }));
    alerts.tick();
    await alerts.idle();
    const [message] = receiver.bodies('/slack') as { text: string; blocks: { type: string }[] }[];
    assert.ok(message, 'a message arrived');
    assert.match(message.text, /^\[CRITICAL\] Bulwark alert builtin\/canary-leak: 1 event\(s\) for key key_1 \(tenant acme\)/);
    assert.deepEqual(message.blocks.map((block) => block.type), ['section', 'context']);
    assert.match(JSON.stringify(message.blocks), /evt_\d+/);
    assert.equal(receiver.received[0]!.headers['x-bulwark-signature'], undefined, 'unsigned without a secret');
  });

  it('retries after a 500 with backoff and then delivers', async () => {
    receiver.script = [500, 503];
    const alerts = engine([], { channels: [{ id: 'ops', url: `${receiver.url}/retry` }], retry: { attempts: 3, backoffMs: 20, maxBackoffMs: 100 } });
    const started = Date.now();
    alerts.observe(event({ findings: [finding('budget/soft-limit', 'budget')] }));
    alerts.tick();
    await alerts.idle();
    assert.equal(receiver.received.filter((entry) => entry.path === '/retry').length, 3);
    assert.ok(Date.now() - started >= 60, 'waited 20 + 40 ms between tries');
    assert.deepEqual(alerts.stats(), { sent: 1, failed: 0, skipped: 0 });
    assert.equal(receiver.bodies('/retry')[2]!.rule, 'builtin/budget');
  });

  it('gives up after the retry budget, and never retries a 4xx', async () => {
    receiver.script = [500, 500, 500, 400];
    const alerts = engine([], { channels: [{ id: 'ops', url: `${receiver.url}/fail` }], retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 1 } });
    alerts.observe(event({ findings: [finding('canary/leak')] }));
    alerts.tick();
    await alerts.idle();
    alerts.observe(event({ keyId: 'key_2', findings: [finding('canary/leak')] }));
    alerts.tick();
    await alerts.idle();
    assert.equal(receiver.received.length, 4);
    assert.deepEqual(alerts.stats(), { sent: 0, failed: 2, skipped: 0 });
  });

  it('alerts on a new signature rule once, and on N blocks per minute per key', async () => {
    const alerts = engine([], { channels: [{ id: 'ops', url: `${receiver.url}/b` }], builtins: { blocksPerMinutePerKey: 3 } });
    for (let i = 0; i < 3; i++) alerts.observe(event({ findings: [finding('prompt-injection/sig/role-hijack')] }));
    alerts.tick();
    await alerts.idle();
    const rules = receiver.bodies('/b').map((body) => body.rule).sort();
    assert.deepEqual(rules, ['builtin/blocks-per-key', 'builtin/new-signature-rule']);
  });
});

describe('alert configuration', () => {
  it('names unknown channels, duplicates and reserved ids by path', () => {
    const problems = alertConfigProblems([AlertRule.parse({ id: 'builtin-x', channels: ['nope'] })], Alerting.parse({ channels: [{ id: 'a', url: 'http://127.0.0.1:1/x' }, { id: 'a', url: 'http://127.0.0.1:1/y' }] }));
    assert.deepEqual(problems.map((problem) => problem.path), ['alerting.channels[1].id', 'alerts[0].id', 'alerts[0].channels[0]']);
    assert.match(problems[2]!.message, /unknown channel "nope"; expected one of: a/);
  });

  it('matches rule globs without backtracking blow-ups', () => {
    assert.ok(globMatch('secrets/*', 'secrets/aws'));
    assert.ok(globMatch('*/sig/*', 'prompt-injection/sig/dan'));
    assert.ok(!globMatch('*/sig/*', 'pii/email'));
    const started = Date.now();
    assert.ok(!globMatch('*a*a*a*a*a*b', 'a'.repeat(5000)));
    assert.ok(Date.now() - started < 1000);
  });

  it('signs "t.body" with HMAC-SHA256 and rejects stale timestamps', () => {
    const header = signatureHeader('k', '{"a":1}', 1_000);
    assert.ok(verifySignature('k', header, '{"a":1}', 300, 1_100));
    assert.ok(!verifySignature('k', header, '{"a":1}', 300, 2_000));
  });
});
