import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32, encodeRecord, parseRecords, Spool } from './spool.ts';
import type { GatewayEvent } from './types.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-spool-'));
  dirs.push(dir);
  return join(dir, 'spool', 'events.spool');
}

export function spoolEvent(n: number, extra: Partial<GatewayEvent> = {}): GatewayEvent {
  return {
    id: `evt_${String(n).padStart(6, '0')}`, requestId: `req_${n}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), route: 'openai.chat', model: 'gpt-test', provider: 'primary',
    policy: 'default', decision: 'allow', status: 200, findings: [], scanners: [], inputTokens: 3, outputTokens: 5, upstreamLatencyMs: 1.5, totalLatencyMs: 2.5, streamed: false,
    content: { request: 'hello | world \u2028 \ud800' }, ...extra,
  };
}

describe('spool file', () => {
  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });

  it('round-trips events in order and counts depth', async () => {
    const path = tempPath();
    const { spool } = await Spool.open(path);
    await spool.append([encodeRecord(spoolEvent(1)), encodeRecord(spoolEvent(2))]);
    await spool.append([encodeRecord(spoolEvent(3))]);
    assert.equal(spool.stats().records, 3);
    assert.equal(spool.stats().bytes, statSync(path).size);
    const first = await spool.peek(2);
    assert.deepEqual(first.events.map((e) => e.id), ['evt_000001', 'evt_000002']);
    assert.equal(first.events[0]!.content?.request, 'hello | world \u2028 \ud800');
    await spool.advance(first.end, 2);
    assert.equal(spool.stats().records, 1);
    await spool.close();
    // Reopened: the position file says where replay resumes.
    const again = await Spool.open(path);
    assert.equal(again.spool.stats().records, 1);
    const rest = await again.spool.peek(10);
    assert.deepEqual(rest.events.map((e) => e.id), ['evt_000003']);
    await again.spool.advance(rest.end, 1);
    assert.equal(statSync(path).size, 0, 'a fully replayed spool is truncated');
    assert.deepEqual(again.spool.stats(), { bytes: 0, records: 0 });
    await again.spool.close();
  });

  it('cuts a torn last record on open and ignores it', async () => {
    const path = tempPath();
    const { spool } = await Spool.open(path);
    await spool.append([encodeRecord(spoolEvent(1)), encodeRecord(spoolEvent(2))]);
    await spool.close();
    const good = statSync(path).size;
    const torn = encodeRecord(spoolEvent(3));
    appendFileSync(path, torn.subarray(0, torn.length - 7));
    const opened = await Spool.open(path);
    assert.equal(opened.tornBytes, torn.length - 7);
    assert.equal(statSync(path).size, good);
    assert.equal(opened.spool.stats().records, 2);
    // New records go after the good ones, not after the garbage.
    await opened.spool.append([encodeRecord(spoolEvent(4))]);
    const all = await opened.spool.peek(10);
    assert.deepEqual(all.events.map((e) => e.id), ['evt_000001', 'evt_000002', 'evt_000004']);
    await opened.spool.close();
  });

  it('treats a complete last line with a bad CRC as torn, and a bad line in the middle as corrupt', async () => {
    const path = tempPath();
    const a = encodeRecord(spoolEvent(1));
    const b = Buffer.from(encodeRecord(spoolEvent(2)));
    b[20] = b[20] === 0x41 ? 0x42 : 0x41; // flip one byte of the JSON
    const c = encodeRecord(spoolEvent(3));
    const { spool: s0 } = await Spool.open(path);
    await s0.close();
    writeFileSync(path, Buffer.concat([a, b, c, b]));
    const opened = await Spool.open(path);
    assert.equal(opened.corrupt, 1);
    assert.equal(opened.tornBytes, b.length);
    const read = await opened.spool.peek(10);
    assert.deepEqual(read.events.map((e) => e.id), ['evt_000001', 'evt_000003']);
    assert.equal(opened.spool.corrupt, 1);
    await opened.spool.close();
    assert.equal(readFileSync(path).length, a.length + b.length + c.length);
  });

  it('parses only complete lines', () => {
    const rec = encodeRecord(spoolEvent(1));
    const parsed = parseRecords(Buffer.concat([rec, rec.subarray(0, 10)]));
    assert.equal(parsed.events.length, 1);
    assert.equal(parsed.consumed, rec.length);
    assert.equal(parsed.corrupt, 0);
  });
});
