import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'bulwark.js');
const cli = (args: string[], input?: string): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', env: { ...process.env, BULWARK_DATA_DIR: dataDir, BULWARK_CONFIG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('bulwark CLI', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints help listing the commands', () => {
    const { status, stdout } = cli(['--help']);
    assert.equal(status, 0);
    for (const command of ['serve', 'scan', 'config']) assert.match(stdout, new RegExp(command));
  });

  it('scan: exit 0 on clean text, 1 when blocked, JSON on request, stdin with -', () => {
    const clean = cli(['scan', 'hello world']);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /decision: allow/);
    const smuggled = `hi${String.fromCodePoint(0xe0069, 0xe0067, 0xe006e, 0xe006f, 0xe0072, 0xe0065)}`;
    const blocked = cli(['scan', '--json', '-'], smuggled);
    assert.equal(blocked.status, 1, blocked.stderr);
    const parsed = JSON.parse(blocked.stdout) as { decision: string; findings: { ruleId: string }[] };
    assert.equal(parsed.decision, 'block');
    assert.ok(parsed.findings.some((finding) => finding.ruleId.startsWith('hidden-characters/')));
  });

  it('config check: ok for a valid file; exit 2 naming path and line for a bad one', () => {
    const good = join(dataDir, 'good.yaml');
    writeFileSync(good, 'providers:\n  - { id: local, type: openai-compatible, baseUrl: "http://127.0.0.1:9000/v1" }\nroutes:\n  - { match: "*", providers: [local] }\n');
    const ok = cli(['config', 'check', good]);
    assert.equal(ok.status, 0, ok.stderr);
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: "eighty"\nroutes:\n  - { match: "*", providers: [missing] }\npolicy:\n  scanners:\n    - { id: x, scanner: text/nope }\n');
    const failed = cli(['config', 'check', bad]);
    assert.equal(failed.status, 2);
    assert.match(failed.stderr, /server\.port \(line 2\)/);
    const unknownScanner = join(dataDir, 'bad-scanner.yaml');
    writeFileSync(unknownScanner, 'policy:\n  scanners:\n    - { id: x, scanner: text/nope }\n');
    const scannerFailed = cli(['config', 'check', unknownScanner]);
    assert.equal(scannerFailed.status, 2);
    assert.match(scannerFailed.stderr, /policy\.scanners\[0\]\.scanner: unknown scanner "text\/nope"/);
  });

  it('rejects bad usage with exit 2', () => {
    assert.equal(cli(['frobnicate']).status, 2);
    assert.equal(cli(['scan']).status, 2);
  });
});
