import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { hashKey } from '../../src/auth/key-format.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-keys-cli-'));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'bulwark.js');
const env = { ...process.env, BULWARK_DATA_DIR: dataDir, BULWARK_CONFIG: '' };
const cli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('bulwark tenants / projects / keys', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serve warns once at startup that only loopback callers are served while no key exists', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '-p', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve did not log its startup lines')), 30_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.includes('only loopback callers')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    assert.equal(lines.filter((line) => line.includes('only loopback callers')).length, 1);
  });

  it('creates a key once, lists it without secret or hash, rotates and revokes it', () => {
    assert.equal(cli(['tenants', 'create', 'acme']).status, 0);
    assert.equal(cli(['projects', 'create', '--tenant', 'acme', 'bot']).status, 0);
    const created = cli(['keys', 'create', '--tenant', 'acme', '--project', 'bot', '--name', 'ci', '--models', 'gpt-*,claude-*', '--expires-in', '30d', '--json']);
    assert.equal(created.status, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { key: string; id: string; models: string[]; expiresAt: string };
    assert.match(key.key, /^bwk_[A-Za-z0-9]{8}_[A-Za-z0-9]{32,}$/);
    assert.deepEqual(key.models, ['gpt-*', 'claude-*']);
    assert.ok(Date.parse(key.expiresAt) > Date.now() + 29 * 86_400_000);

    for (const args of [['keys', 'list'], ['keys', 'list', '--json'], ['keys', 'list', '--tenant', 'acme']]) {
      const listed = cli(args);
      assert.equal(listed.status, 0, listed.stderr);
      assert.ok(listed.stdout.includes(key.id));
      assert.ok(!listed.stdout.includes(key.key.slice(13)), 'never the secret');
      assert.ok(!listed.stdout.includes(hashKey(key.key)), 'never the hash');
    }

    const rotated = cli(['keys', 'rotate', key.id, '--overlap', '1h', '--json']);
    assert.equal(rotated.status, 0, rotated.stderr);
    const replacement = JSON.parse(rotated.stdout) as { key: string; id: string };
    assert.notEqual(replacement.key, key.key);
    const afterRotate = JSON.parse(cli(['keys', 'list', '--json']).stdout) as { id: string; status: string }[];
    assert.match(afterRotate.find((entry) => entry.id === key.id)!.status, /^rotating until /);

    assert.equal(cli(['keys', 'revoke', replacement.id]).status, 0);
    const afterRevoke = JSON.parse(cli(['keys', 'list', '--json']).stdout) as { id: string; status: string }[];
    assert.equal(afterRevoke.find((entry) => entry.id === replacement.id)!.status, 'revoked');
  });

  it('exits 2 naming the problem for unknown tenants, keys and bad durations', () => {
    const unknown = cli(['keys', 'create', '--tenant', 'nobody', '--project', 'x']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--tenant: no tenant with id or name "nobody"/);
    assert.match(cli(['keys', 'revoke', 'key_missing']).stderr, /key "key_missing" does not exist/);
    const duration = cli(['keys', 'create', '--tenant', 'acme', '--project', 'bot', '--expires-in', 'soon']);
    assert.equal(duration.status, 2);
    assert.match(duration.stderr, /--expires-in: expected a number followed by s, m, h or d/);
  });
});
