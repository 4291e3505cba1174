import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileOnce } from './create-once.ts';

describe('createFileOnce', () => {
  it('creates once, keeps the first content and leaves no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-once-'));
    const path = join(dir, 'key');
    assert.equal(createFileOnce(path, 'first', 0o600), true);
    assert.equal(createFileOnce(path, 'second', 0o600), false);
    assert.equal(readFileSync(path, 'utf8'), 'first');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['key']);
  });

  it('gives racing processes one complete file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-once-race-'));
    const path = join(dir, 'key');
    const script = `import { createFileOnce } from ${JSON.stringify(join(import.meta.dirname, 'create-once.ts'))}; import { readFileSync } from 'node:fs';
const mine = 'x'.repeat(200000) + process.pid; createFileOnce(${JSON.stringify(path)}, mine, 0o600); process.stdout.write(String(readFileSync(${JSON.stringify(path)}, 'utf8').length));`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (data: Buffer) => (out += data.toString()));
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        }),
      ),
    );
    const final = readFileSync(path, 'utf8');
    assert.ok(final.startsWith('x'.repeat(200000)));
    for (const length of runs) assert.equal(Number(length), final.length, 'every process read the complete winner');
    assert.deepEqual(readdirSync(dir), ['key']);
  });
});
