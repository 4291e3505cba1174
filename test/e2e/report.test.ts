import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { run } from '../../src/cli/main.ts';
import { screenshotFirstPage } from '../../src/reports/chromium.ts';
import { openReviewService } from '../../src/review/service.ts';
import { CHROMIUM_PATH, servicesAvailable, skipOrFail } from '../support/services.ts';
import { startHarness, type Harness } from './harness.ts';

const outputDir = resolve(import.meta.dirname, '..', '..', 'test-output');

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return run(args, { stdout: (text) => void (out += text), stderr: (text) => void (err += text), readStdin: async () => '', env: {} }).then((code) => ({ code, out, err }));
}

async function ask(client: OpenAI, content: string): Promise<number> {
  try {
    await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content }] });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error.status ?? 0;
    throw error;
  }
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('HIPAA compliance report from real traffic (acceptance)', () => {
  let h: Harness;
  let configFile: string;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  let html = '';

  before(async () => {
    h = await startHarness({ policy: { name: 'clinic', packs: ['hipaa'] } });
    configFile = join(h.dataDir, 'bulwark.yaml');
    writeFileSync(configFile, 'version: 1\npolicy:\n  name: clinic\n  packs: [hipaa]\n');
    const statuses = [
      await ask(h.openai, 'Summarise the discharge note for patient SSN 536-22-4519, phone (415) 555-0132.'),
      await ask(h.openai, 'Email the lab results to jane.roe@example.org please.'),
      await ask(h.openai, 'What are common side effects of metformin?'),
      await ask(h.openai, 'Explain the difference between type 1 and type 2 diabetes.'),
    ];
    assert.ok(statuses.includes(400), `expected a block among ${statuses.join(',')}`);
    assert.ok(statuses.includes(200), `expected an allowed request among ${statuses.join(',')}`);
    await h.gateway.gateway.store.flush();
    h.gateway.gateway.review!.flush();
    const review = openReviewService(h.dataDir);
    const [first] = review.list();
    review.label(first!.id, 'true-positive', 'auditor', 'real PHI');
    review.close();
  });
  after(() => h?.close());

  it('writes a self-contained HTML report with controls, what fired, review outcomes and the chain check', async () => {
    const out = join(h.dataDir, 'report.html');
    const result = await cli(['--data-dir', h.dataDir, 'report', '--framework', 'hipaa', '--from', from, '--to', to, '--out', out, '-c', configFile]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /audit chain ok/);
    html = readFileSync(out, 'utf8');
    assert.match(html, /HIPAA Privacy and Security Rules/);
    assert.match(html, /hipaa\.phi/);
    assert.match(html, /HIPAA §164\.514\(b\)\(2\)\(i\)\(G\): social security numbers/);
    assert.match(html, /verified, no problems/);
    assert.match(html, /<svg /);
    assert.match(html, /Precision of labelled items \(TP \/ \(TP \+ FP\)\): 1\.000/);
    // Self-contained: no scripts, no external references.
    assert.doesNotMatch(html, /<script|<link|\ssrc=|\shref=|url\(/i);
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, 'hipaa-report.html'), html);
  });

  it('opens in headless Chromium (first-page screenshot saved under test-output/) and prints to PDF', async (t) => {
    const probe = await servicesAvailable('chromium');
    if (!probe.ok) return skipOrFail(t, probe.reason);
    assert.ok(html.length > 0, 'the HTML test ran first');
    const png = await screenshotFirstPage({ url: pathToFileURL(join(outputDir, 'hipaa-report.html')).href }, { width: 794, height: 1123 }, CHROMIUM_PATH);
    const shot = join(outputDir, 'hipaa-report-page1.png');
    writeFileSync(shot, png);
    assert.deepEqual(pngSize(readFileSync(shot)), { width: 794, height: 1123 });
    // A rendered page of text, tables and charts compresses far worse than a blank one (~3 KB).
    assert.ok(statSync(shot).size > 20_000, `screenshot is ${statSync(shot).size} bytes`);

    const pdfPath = join(outputDir, 'hipaa-report.pdf');
    const result = await cli(['--data-dir', h.dataDir, 'report', '--framework', 'hipaa', '--from', from, '--to', to, '--out', pdfPath, '-c', configFile]);
    assert.equal(result.code, 0, result.err);
    const pdf = readFileSync(pdfPath);
    assert.equal(pdf.subarray(0, 4).toString('latin1'), '%PDF');
    assert.ok(pdf.length > 10_000, `PDF is ${pdf.length} bytes`);
  });

  it('refuses a bad framework or period, naming the flag', async () => {
    const bad = await cli(['--data-dir', h.dataDir, 'report', '--framework', 'sox', '--from', from, '--to', to, '--out', 'x.html']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--framework: expected one of hipaa, gdpr/);
    const period = await cli(['--data-dir', h.dataDir, 'report', '--framework', 'gdpr', '--from', to, '--to', from, '--out', 'x.html']);
    assert.equal(period.code, 2);
    assert.match(period.err, /--to .* must be after --from/);
  });
});
