import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditedEventStore, GatewayEvent } from './types.ts';

/** Options for {@link runEventStoreContract}. */
export interface EventStoreContractOptions {
  /** Opens the database most recently created by the factory again; enables the durability tests. */
  reopen?: () => Promise<AuditedEventStore>;
}

let counter = 0;

/** Builds a valid event with every field set; tests override what they check. */
export function sampleEvent(overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  counter++;
  return {
    id: `evt-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    requestId: `req-${counter}`,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, counter)).toISOString(),
    route: 'gpt-*',
    model: 'gpt-4o-mini',
    provider: 'openai',
    policy: 'default',
    decision: 'allow',
    status: 200,
    findings: [],
    scanners: [],
    inputTokens: 12,
    outputTokens: 34,
    upstreamLatencyMs: 120.5,
    totalLatencyMs: 130.25,
    streamed: false,
    content: null,
    ...overrides,
  };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The behaviour every EventStore must have. `factory` returns a store over a new,
 * empty database each call; the suite closes every store it opens.
 */
export function runEventStoreContract(name: string, factory: () => Promise<AuditedEventStore>, options: EventStoreContractOptions = {}): void {
  describe(`EventStore contract: ${name}`, () => {
    async function withStore(fn: (store: AuditedEventStore) => Promise<void>): Promise<void> {
      const store = await factory();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    }

    test('round-trips an event with every field set', () =>
      withStore(async (store) => {
        const event = sampleEvent({
          decision: 'redact',
          status: 200,
          streamed: true,
          error: 'upstream slow',
          findings: [
            {
              instance: 'pii.email',
              scanner: 'text/regex',
              ruleId: 'email',
              severity: 'high',
              score: 0.93,
              segmentId: 'm0.c0',
              origin: 'user',
              span: [5, 22],
              action: 'redact',
              message: 'e-mail address',
              evidence: 'a***@example.com',
            },
            { instance: 'term', scanner: 'text/term-list', ruleId: 't1', severity: 'low', score: 0.5, segmentId: 'm1', origin: 'document', span: [0, 3], action: 'flag', message: 'term' },
          ],
          scanners: [
            { instance: 'pii.email', scanner: 'text/regex', phase: 'request', outcome: 'flag', score: 0.93, latencyMs: 0.42 },
            { instance: 'term', scanner: 'text/term-list', phase: 'response-stream', outcome: 'pass', score: null, latencyMs: 1 },
          ],
          content: { request: 'mail [EMAIL] — ünïcødé 🚀 "quotes" \n newline', response: 'ok' },
        });
        store.append(event);
        await store.flush();
        assert.deepEqual(await store.get(event.id), event);
      }));

    test('round-trips nulls, a partial content object and no error', () =>
      withStore(async (store) => {
        const bare = sampleEvent({ model: null, provider: null, inputTokens: null, outputTokens: null, upstreamLatencyMs: null, content: null, decision: 'block', status: 403 });
        const partial = sampleEvent({ content: { request: 'only the request' } });
        store.append(bare);
        store.append(partial);
        await store.flush();
        const got = await store.get(bare.id);
        assert.deepEqual(got, bare);
        assert.equal(got !== null && 'error' in got, false);
        assert.deepEqual(await store.get(partial.id), partial);
      }));

    test('get returns null for an unknown id', () =>
      withStore(async (store) => {
        assert.equal(await store.get('no-such-event'), null);
      }));

    test('list returns newest first, ties broken by append order', () =>
      withStore(async (store) => {
        const t = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s)).toISOString();
        const a = sampleEvent({ time: t(10) });
        const b = sampleEvent({ time: t(30) });
        const c = sampleEvent({ time: t(20) });
        const d = sampleEvent({ time: t(30) });
        for (const e of [a, b, c, d]) store.append(e);
        await store.flush();
        assert.deepEqual((await store.list()).map((e) => e.id), [d.id, b.id, c.id, a.id]);
      }));

    test('list filters by limit, since (inclusive) and decision', () =>
      withStore(async (store) => {
        const t = (m: number) => new Date(Date.UTC(2025, 5, 1, 12, m, 0)).toISOString();
        const events = [
          sampleEvent({ time: t(1), decision: 'allow' }),
          sampleEvent({ time: t(2), decision: 'block' }),
          sampleEvent({ time: t(3), decision: 'allow' }),
          sampleEvent({ time: t(4), decision: 'block' }),
          sampleEvent({ time: t(5), decision: 'flag' }),
        ];
        for (const e of events) store.append(e);
        await store.flush();
        const ids = (list: GatewayEvent[]) => list.map((e) => e.id);
        const [e1, e2, e3, e4, e5] = events.map((e) => e.id);
        assert.deepEqual(ids(await store.list({ limit: 2 })), [e5, e4]);
        assert.deepEqual(ids(await store.list({ since: t(3) })), [e5, e4, e3]);
        assert.deepEqual(ids(await store.list({ decision: 'block' })), [e4, e2]);
        assert.deepEqual(ids(await store.list({ decision: 'allow', since: t(2) })), [e3]);
        assert.deepEqual(ids(await store.list({ decision: 'allow', limit: 1 })), [e3]);
        assert.deepEqual(await store.list({ decision: 'error' }), []);
        assert.deepEqual(await store.list({ limit: 0 }), []);
        assert.deepEqual(ids(await store.list({ since: t(1) })), [e5, e4, e3, e2, e1]);
      }));

    test('count counts flushed events', () =>
      withStore(async (store) => {
        assert.equal(await store.count(), 0);
        for (let i = 0; i < 7; i++) store.append(sampleEvent());
        await store.flush();
        assert.equal(await store.count(), 7);
      }));

    test('many events are written in one flush', () =>
      withStore(async (store) => {
        const n = 2_500;
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          const e = sampleEvent();
          ids.push(e.id);
          store.append(e);
        }
        await store.flush();
        assert.equal(await store.count(), n);
        const listed = await store.list({ limit: n });
        assert.equal(listed.length, n);
        assert.equal(listed[0]?.id, ids.at(-1));
        assert.equal(listed.at(-1)?.id, ids[0]);
      }));

    test('appended events are written without an explicit flush', () =>
      withStore(async (store) => {
        const event = sampleEvent();
        store.append(event);
        await eventually(async () => (await store.get(event.id)) !== null);
      }));

    test('an id appended twice keeps the first event', () =>
      withStore(async (store) => {
        const first = sampleEvent({ status: 200 });
        store.append(first);
        store.append({ ...first, status: 500 });
        await store.flush();
        assert.equal(await store.count(), 1);
        assert.equal((await store.get(first.id))?.status, 200);
      }));

    test('append after close throws a clear error; close is idempotent', async () => {
      const store = await factory();
      await store.close();
      assert.throws(() => store.append(sampleEvent()), /closed/);
      await store.close();
    });

    test('audit chain: N appended events verify, one seq each', () =>
      withStore(async (store) => {
        const n = 450;
        for (let i = 0; i < n; i++) store.append(sampleEvent({ decision: i % 7 === 0 ? 'block' : 'allow', content: i % 3 === 0 ? { request: `prompt ${i} ✓` } : null }));
        await store.flush();
        const result = await store.verifyChain();
        assert.deepEqual(result.problems, []);
        assert.equal(result.ok, true);
        assert.equal(result.records, n);
        assert.deepEqual(result.partitions, ['default']);
        const tail = await store.verifyChain({ from: 400 });
        assert.equal(tail.ok, true);
        assert.equal(tail.records, n - 399);
      }));

    test('audit chain: partitions (tenants) chain independently', () =>
      withStore(async (store) => {
        const counts = { default: 0, acme: 0, globex: 0 };
        for (let i = 0; i < 300; i++) {
          const tenant = (['default', 'acme', 'globex'] as const)[i % 5 === 0 ? 1 : i % 3 === 0 ? 2 : 0];
          counts[tenant]++;
          store.append(sampleEvent(tenant === 'default' ? {} : { tenant }));
        }
        await store.flush();
        const all = await store.verifyChain();
        assert.equal(all.ok, true, JSON.stringify(all.problems));
        assert.deepEqual(all.partitions, ['acme', 'default', 'globex']);
        assert.equal(all.records, 300);
        for (const [partition, n] of Object.entries(counts)) {
          const one = await store.verifyChain({ partition });
          assert.equal(one.ok, true);
          assert.equal(one.records, n, partition);
        }
        const acme = sampleEvent({ tenant: 'acme' });
        store.append(acme);
        await store.flush();
        assert.deepEqual(await store.get(acme.id), acme);
      }));

    test('audit chain: a batch appended again neither duplicates nor forks', () =>
      withStore(async (store) => {
        const batch = Array.from({ length: 120 }, () => sampleEvent());
        for (const e of batch) store.append(e);
        await store.flush();
        for (const e of batch) store.append({ ...e });
        for (const e of batch.slice(0, 10)) store.append({ ...e });
        const later = sampleEvent();
        store.append(later);
        await store.flush();
        assert.equal(await store.count(), 121);
        const result = await store.verifyChain();
        assert.equal(result.ok, true, JSON.stringify(result.problems));
        assert.equal(result.records, 121);
        assert.equal((await store.verifyChain({ from: 121 })).records, 1);
      }));

    test('audit chain: awkward strings (lone surrogate, NUL, emoji) still verify', () =>
      withStore(async (store) => {
        store.append(sampleEvent({ route: 'gpt-\uD800*', model: 'm\u0000x', error: 'ünï 🚀 \uDC00', content: { request: 'a\u0000b\uD800' } }));
        store.append(sampleEvent({ tenant: 'tenant-\uD83D' }));
        await store.flush();
        assert.equal(await store.count(), 2);
        const result = await store.verifyChain();
        assert.equal(result.ok, true, JSON.stringify(result.problems));
        assert.equal(result.records, 2);
      }));

    test('audit chain: close leaves a signed checkpoint that verifies after reopening', { skip: options.reopen ? false : 'no reopen given' }, async () => {
      const store = await factory();
      for (let i = 0; i < 57; i++) store.append(sampleEvent());
      await store.close();
      const again = await options.reopen!();
      try {
        const result = await again.verifyChain();
        assert.equal(result.ok, true, JSON.stringify(result.problems));
        assert.equal(result.records, 57);
        assert.ok(result.checkpoints >= 1, 'close writes a checkpoint');
        assert.equal(result.signaturesChecked, true);
      } finally {
        await again.close();
      }
    });

    test('close writes everything queued', { skip: options.reopen ? false : 'no reopen given' }, async () => {
      const store = await factory();
      const events = Array.from({ length: 1_234 }, () => sampleEvent());
      for (const e of events) store.append(e);
      await store.close();
      const again = await options.reopen!();
      try {
        assert.equal(await again.count(), events.length);
        assert.deepEqual(await again.get(events[500]!.id), events[500]);
      } finally {
        await again.close();
      }
    });
  });
}
