import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { loadConfigFile } from '../../src/config/load.ts';
import { startGateway, type RunningGateway } from '../../src/main.ts';
import { SIGNATURES_VERSION } from '../../src/scanners/injection/signatures.ts';
import { createLogger } from '../../src/telemetry/logger.ts';

async function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => '', env: {} };
  const code = await run(['--data-dir', dataDir, ...args], io);
  return { code, stdout, stderr };
}

function rules(version: string, issuedAt: string, phrase: string): string {
  return JSON.stringify({ format: 'bulwark-rules/1', version, issuedAt, signatures: [{ id: `prompt-injection/sig/${phrase}`, description: `the ${phrase} unlock phrase`, pattern: String.raw`\b${phrase}\s+unlock\b`, score: { direct: 0.95, indirect: 0.95 } }] });
}

interface Readyz {
  status: string;
  rules: { version: string; bundle: { version: string; keyId: string } | null; error: string | null };
}

describe('signed rule bundles end to end: CLI publish and import, /readyz, hot reload, events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-rules-e2e-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'bulwark.yaml');
  let gateway: RunningGateway;
  let keyId = '';

  before(async () => {
    const keygen = await cli(dataDir, ['rules', 'keygen', '--out', join(dir, 'publisher')]);
    assert.equal(keygen.code, 0, keygen.stderr);
    keyId = (JSON.parse(keygen.stdout) as { keyId: string }).keyId;
    writeFileSync(configPath, [
      'logging: { level: silent }',
      'rules:',
      `  trustedKeys: [${JSON.stringify(join(dir, 'publisher.pub.pem'))}]`,
      '  pollIntervalMs: 25',
      'policy:',
      '  scanners:',
      '    - { id: pi, scanner: ai/prompt-injection, phases: [request], action: block, threshold: 0.9, timeoutMs: 5000 }',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'v1.json'), rules('2026.12.1', '2026-12-01T00:00:00Z', 'zorblax'));
    const signed = await cli(dataDir, ['rules', 'sign', '--key', join(dir, 'publisher.pem'), '--in', join(dir, 'v1.json'), '--out', join(dir, 'v1.bundle')]);
    assert.equal(signed.code, 0, signed.stderr);
    const imported = await cli(dataDir, ['rules', 'import', join(dir, 'v1.bundle'), '--config', configPath]);
    assert.equal(imported.code, 0, imported.stderr);
    gateway = await startGateway({ config: loadConfigFile(configPath, {}), dataDir, port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), env: {} });
  });
  after(async () => {
    await gateway?.close(500);
    rmSync(dir, { recursive: true, force: true });
  });

  it('/readyz shows the active rules version and the publisher key', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Readyz;
    assert.equal(body.rules.version, `${SIGNATURES_VERSION}/2026.12.1`);
    assert.equal(body.rules.bundle?.keyId, keyId);
    assert.equal(body.rules.error, null);
  });

  it('blocks with the bundle rule and records the rules version on the event', async () => {
    const response = await fetch(`${gateway.url}/v1/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'zorblax unlock please' }) });
    const answer = (await response.json()) as { decision: string; eventId: string; findings: { ruleId: string }[] };
    assert.equal(answer.decision, 'block');
    assert.ok(answer.findings.some((finding) => finding.ruleId === 'prompt-injection/sig/zorblax'));
    await gateway.gateway.store.flush();
    const event = await gateway.gateway.store.get(answer.eventId);
    assert.equal(event?.scanners.find((scanner) => scanner.instance === 'pi')?.rulesVersion, `${SIGNATURES_VERSION}/2026.12.1`);
  });

  it('refuses a tampered bundle at import, then hot-reloads an imported new version', async () => {
    const envelope = JSON.parse(readFileSync(join(dir, 'v1.bundle'), 'utf8')) as { payload: string };
    envelope.payload = Buffer.from(rules('2026.12.9', '2026-12-09T00:00:00Z', 'evil')).toString('base64');
    writeFileSync(join(dir, 'tampered.bundle'), JSON.stringify(envelope));
    const refused = await cli(dataDir, ['rules', 'import', join(dir, 'tampered.bundle'), '--config', configPath]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /bundle\.signature: does not verify/);
    writeFileSync(join(dir, 'v2.json'), rules('2026.12.2', '2026-12-02T00:00:00Z', 'quux'));
    assert.equal((await cli(dataDir, ['rules', 'sign', '--key', join(dir, 'publisher.pem'), '--in', join(dir, 'v2.json'), '--out', join(dir, 'v2.bundle')])).code, 0);
    assert.equal((await cli(dataDir, ['rules', 'import', join(dir, 'v2.bundle'), '--config', configPath])).code, 0);
    const deadline = Date.now() + 15_000;
    let body: Readyz;
    do {
      body = (await (await fetch(`${gateway.url}/readyz`)).json()) as Readyz;
      if (body.rules.bundle?.version === '2026.12.2') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    } while (Date.now() < deadline);
    assert.equal(body.rules.version, `${SIGNATURES_VERSION}/2026.12.2`);
    const older = await cli(dataDir, ['rules', 'import', join(dir, 'v1.bundle'), '--config', configPath]);
    assert.equal(older.code, 1);
    assert.match(older.stderr, /rules\.issuedAt: .*older than the installed/);
  });
});
