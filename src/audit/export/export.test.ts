import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chainHash } from '../chain-format.mjs';
import { escapeExtension, escapeHeader, toCef } from './cef.ts';
import { linesOf, runExport, type ExportFormat } from './export.ts';
import { fixtureSource } from './fixtures.ts';
import { exportRecords, type ExportRecord } from './records.ts';
import type { ExportSink } from './sinks.ts';

const golden = join(import.meta.dirname, 'golden');
const HOST = 'gw-1';

function memorySink(): ExportSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, async write(l) { lines.push(...l); }, async close() {} };
}

async function exportAll(format: ExportFormat, filter = {}): Promise<string[]> {
  const sink = memorySink();
  await runExport(fixtureSource(), { format, sink, host: HOST, filter });
  return sink.lines;
}

async function allRecords(): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const page of exportRecords(fixtureSource())) out.push(...page);
  return out;
}

describe('audit export formats', () => {
  for (const format of ['jsonl', 'ocsf', 'cef'] as const) {
    it(`${format} matches its golden file`, async () => {
      const text = `${(await exportAll(format)).join('\n')}\n`;
      const path = join(golden, `${format}.txt`);
      if (process.env.BULWARK_UPDATE_GOLDEN === '1') writeFileSync(path, text);
      assert.equal(text, readFileSync(path, 'utf8'));
    });
  }

  it('jsonl rows carry the chain fields and rehash to the stored hash', async () => {
    const lines = await exportAll('jsonl');
    assert.equal(lines.length, 3);
    for (const line of lines) {
      const row = JSON.parse(line) as Record<string, string | number | null>;
      const values = ['id', 'request_id', 'time', 'time_ms', 'route', 'model', 'provider', 'policy', 'decision', 'status', 'input_tokens', 'output_tokens', 'upstream_latency_ms', 'total_latency_ms', 'streamed', 'error', 'findings', 'scanners', 'content'].map((k) => row[k]!);
      assert.equal(chainHash(row.partition as string, row.seq as number, row.prev_hash as string, values.map((v) => v ?? null)), row.hash);
    }
  });

  it('filters by time and partition', async () => {
    assert.deepEqual((await exportAll('jsonl', { since: '2026-01-15T10:01:00Z' })).map((l) => JSON.parse(l).id), ['evt_0003', 'evt_0002'], 'partitions in name order, each in seq order');
    assert.deepEqual((await exportAll('jsonl', { until: '2026-01-15T10:05:00Z' })).map((l) => JSON.parse(l).id), ['evt_0001']);
    assert.deepEqual((await exportAll('jsonl', { partition: 'acme' })).map((l) => JSON.parse(l).id), ['evt_0003']);
    await assert.rejects(exportAll('jsonl', { since: 'yesterday' }), /--since: expected an ISO 8601 time/);
  });
});

describe('OCSF mapping', () => {
  it('one API Activity per event and one Detection Finding per finding, with the required fields', async () => {
    const events = (await exportAll('ocsf')).map((l) => JSON.parse(l) as Record<string, any>);
    const activities = events.filter((e) => e.class_uid === 6003);
    const findings = events.filter((e) => e.class_uid === 2004);
    assert.equal(activities.length, 3);
    assert.equal(findings.length, 3);
    for (const e of events) {
      assert.equal(e.type_uid, e.class_uid * 100 + e.activity_id);
      assert.equal(e.metadata.version, '1.1.0');
      assert.equal(e.metadata.product.name, 'Bulwark');
      assert.equal(typeof e.metadata.product.version, 'string');
      assert.equal(typeof e.time, 'number');
      assert.ok(Number.isInteger(e.severity_id) && e.severity_id >= 0 && e.severity_id <= 6);
    }
    for (const a of activities) {
      assert.equal(a.category_uid, 6);
      assert.ok([1, 2].includes(a.activity_id));
    }
    const blocked = activities.find((a) => a.metadata.uid === 'evt_0002')!;
    assert.equal(blocked.time, Date.parse('2026-01-15T10:05:00.000Z'));
    assert.equal(blocked.severity_id, 5, 'the worst finding (critical) sets the activity severity');
    assert.equal(blocked.action_id, 2);
    assert.equal(blocked.status_id, 2);
    const allowed = activities.find((a) => a.metadata.uid === 'evt_0001')!;
    assert.equal(allowed.severity_id, 1, 'no finding: informational');
    assert.equal(allowed.status_id, 1);
    for (const f of findings) {
      assert.equal(f.category_uid, 2);
      assert.equal(f.activity_id, 1);
      assert.equal(f.type_uid, 200401);
      assert.equal(typeof f.finding_info.uid, 'string');
      assert.equal(typeof f.finding_info.title, 'string');
      assert.equal(f.finding_info.analytic.type_id, 1);
    }
    const critical = findings.find((f) => f.finding_info.analytic.name === 'aws-access-key')!;
    assert.equal(critical.severity_id, 5);
    assert.equal(critical.finding_info.related_events[0].uid, 'evt_0002');
    assert.equal(critical.unmapped.bulwark.clause, 'PCI-DSS 3.4');
    assert.equal(findings.find((f) => f.finding_info.analytic.name === 'email')!.severity_id, 2);
  });
});

describe('CEF escaping', () => {
  const table: [string, string, string][] = [
    // input, header, extension
    ['plain', 'plain', 'plain'],
    ['a|b', 'a\\|b', 'a|b'],
    ['a\\b', 'a\\\\b', 'a\\\\b'],
    ['a=b', 'a=b', 'a\\=b'],
    ['a\nb', 'a b', 'a\\nb'],
    ['a\r\nb', 'a b', 'a\\nb'],
    ['a\rb', 'a b', 'a\\rb'],
    ['\\|=\n', '\\\\\\|= ', '\\\\|\\=\\n'],
  ];
  for (const [input, header, extension] of table) {
    it(`escapes ${JSON.stringify(input)}`, () => {
      assert.equal(escapeHeader(input), header);
      assert.equal(escapeExtension(input), extension);
    });
  }

  it('a line has 7 unescaped pipes before the extension and no raw newline', async () => {
    for (const record of await allRecords()) {
      const line = toCef(record);
      assert.ok(!line.includes('\n'));
      // Pipes need no escape in the extension (the msg of evt_0002 has one); the header is the first 7 fields.
      const parts = line.split(/(?<!\\)\|/);
      assert.match(parts[6]!, /^(10|[0-9])$/, 'severity is the 7th header field');
      assert.match(parts[7]!, /^rt=/, 'the extension follows the 7th unescaped pipe');
      assert.ok(line.startsWith('CEF:0|Bulwark|Bulwark|'));
    }
  });

  it('wraps CEF in an RFC 5424 envelope with facility 13 and the event time', async () => {
    const record = (await allRecords()).find((r) => r.id === 'evt_0001');
    const [line] = linesOf('cef', record!, { host: 'gw 1\u00e9' });
    assert.match(line!, /^<110>1 2026-01-15T10:00:00\.000Z gw1 bulwark - audit - CEF:0\|/);
  });
});
