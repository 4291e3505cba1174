import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRows } from './dataset.ts';
import { createDetector, DETECTORS, evaluate } from './evaluate.ts';

// Credential-shaped values are assembled at run time so none sits in the source.
const token = ['ghp', '_', 'R7kQ2mXw9TzP4vLc8NbY3hJd6FsG1aWe5UoZ'].join('');
const rows = parseRows(
  [
    { text: `GITHUB_TOKEN=${token}`, label: 1, source: 'fixture' },
    { text: 'db_password = "Vq7!mR2x"', label: 1, source: 'fixture' },
    { text: 'password = "${DB_PASSWORD}"', label: 0, source: 'fixture' },
    { text: 'The build passed on the first try.', label: 0, source: 'fixture' },
    { text: '-----BEGIN CERTIFICATE-----', label: 0, source: 'fixture' },
  ]
    .map((row) => JSON.stringify(row))
    .join('\n'),
  'fixture.jsonl',
);

describe('eval --detector secrets', () => {
  it('is listed and scores a row by its highest finding', async () => {
    assert.ok((DETECTORS as readonly string[]).includes('secrets'));
    const detector = createDetector('secrets');
    assert.equal(detector.defaultThreshold, 0.5);
    const hit = await detector.score(rows[0]!.text, null);
    assert.deepEqual(hit, { score: 0.95, flagged: true });
    // A certificate is a low-score hint: scored, but under the threshold.
    const certificate = await detector.score(rows[4]!.text, null);
    assert.equal(certificate.flagged, false);
    assert.ok(certificate.score > 0 && certificate.score < 0.5);
    assert.equal((await detector.score(rows[4]!.text, 0.2)).flagged, true);
  });

  it('reports confusion counts on labelled rows', async () => {
    const report = await evaluate(rows, createDetector('secrets'), { detector: 'secrets' });
    assert.deepEqual([report.tp, report.fp, report.tn, report.fn], [2, 0, 3, 0]);
    assert.equal(report.f1, 1);
  });
});
