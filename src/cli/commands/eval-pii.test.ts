import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CliIo } from '../io.ts';
import { evalCommand } from './eval.ts';

function io(): CliIo & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    stdout(text: string) {
      sink.out += text;
    },
    stderr(text: string) {
      sink.err += text;
    },
    readStdin: async () => '',
    env: {},
  };
  return sink;
}

const rows = [
  { text: 'Write to jane.doe@example.com or call +44 20 7946 0958.', spans: [{ start: 9, end: 29, type: 'EMAIL_ADDRESS' }, { start: 38, end: 54, type: 'PHONE_NUMBER' }] },
  { text: 'Card 4111 1111 1111 1111 expires soon, his favourite colour is teal.', spans: [{ start: 5, end: 24, type: 'CREDIT_CARD' }, { start: 63, end: 67, type: 'FAVOURITE_COLOUR' }] },
  { text: 'Nothing personal here.', spans: [] },
];

describe('bulwark eval --detector pii', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-eval-pii-'));
  const file = join(dir, 'spans.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n'));

  it('prints one JSON object with overlap precision/recall/f1, by_type and latency', async () => {
    const sink = io();
    assert.equal(await evalCommand({ detector: 'pii', data: file, json: true }, sink), 0);
    const report = JSON.parse(sink.out) as Record<string, unknown> & { by_type: Record<string, { gold: number }>; recall: number; precision: number };
    for (const key of ['precision', 'recall', 'f1', 'by_type', 'latency_ms']) assert.ok(key in report, key);
    // 4 gold spans, the undetectable FAVOURITE_COLOUR counts as missed.
    assert.equal(report.recall, 0.75);
    assert.equal(report.precision, 1);
    assert.equal(report.by_type.FAVOURITE_COLOUR!.gold, 1);
  });

  it('renders a human report and accepts --split', async () => {
    const sink = io();
    assert.equal(await evalCommand({ detector: 'pii', data: file, split: 'all' }, sink), 0);
    assert.match(sink.out, /overlap \(type-agnostic\): precision 1\.000 {2}recall 0\.750/);
  });

  it('rejects a bad split, a threshold, and --split for other detectors', async () => {
    const a = io();
    assert.equal(await evalCommand({ detector: 'pii', data: file, split: 'dev' }, a), 2);
    assert.match(a.err, /--split must be one of tune, measure, all/);
    const b = io();
    assert.equal(await evalCommand({ detector: 'pii', data: file, threshold: '0.5' }, b), 2);
    const c = io();
    assert.equal(await evalCommand({ detector: 'prompt-injection', data: file, split: 'tune' }, c), 2);
    const d = io();
    assert.equal(await evalCommand({ detector: 'prompt-injection', data: file, transformNegatives: true }, d), 2);
    assert.match(d.err, /--transform-negatives needs --transform <name>/);
  });

  it('names the line of a bad row', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"x","spans":[{"start":0,"end":5,"type":"A"}]}\n');
    const sink = io();
    assert.equal(await evalCommand({ detector: 'pii', data: bad }, sink), 2);
    assert.match(sink.err, /bad\.jsonl:1: field "spans\[0\]"/);
  });
});
