import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, it } from 'node:test';

const src = resolve(import.meta.dirname, '..', 'src');

/** Folders each folder must never import from: the dependency direction of the blueprint. */
const forbidden: Record<string, string[]> = {
  scanners: ['http', 'proxy', 'cli', 'policy', 'providers', 'store'],
  policy: ['http', 'proxy', 'cli', 'providers', 'store'],
  text: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'wire'],
  wire: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store'],
  providers: ['http', 'proxy', 'cli', 'scanners', 'policy', 'store'],
  store: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers'],
  auth: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store'],
  limits: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'auth'],
  abuse: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'auth', 'limits', 'wire'],
  proxy: ['http', 'cli'],
  http: ['cli'],
  config: ['http', 'proxy', 'cli'],
  crypto: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'wire', 'pseudonyms'],
  // pseudonyms may use store's PostgreSQL migration runner (the shared vault has its own migration track).
  pseudonyms: ['http', 'proxy', 'cli', 'policy', 'providers', 'wire'],
  audit: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'wire'],
  review: ['http', 'proxy', 'cli', 'scanners', 'providers', 'wire', 'reports'],
  reports: ['http', 'proxy', 'cli', 'scanners', 'providers', 'wire'],
  telemetry: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'auth', 'abuse', 'wire', 'alerts'],
  alerts: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'auth', 'limits', 'abuse', 'wire', 'telemetry'],
  rules: ['http', 'proxy', 'cli', 'policy', 'providers', 'store'],
  // runtime is a leaf: primitives every layer may use.
  runtime: ['http', 'proxy', 'cli', 'scanners', 'policy', 'providers', 'store', 'wire', 'text', 'config', 'auth', 'limits', 'abuse', 'crypto', 'pseudonyms', 'audit', 'review', 'reports', 'telemetry', 'alerts', 'rules', 'errors', 'eval'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('keeps the dependency direction: detection and decision never reach up into http, proxy or cli', () => {
    const violations: string[] = [];
    for (const file of files(src)) {
      const folder = relative(src, file).split('/')[0]!;
      const banned = forbidden[folder];
      if (!banned) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = relative(src, resolve(dirname(file), match[1]!)).split('/')[0]!;
        if (banned.includes(target)) violations.push(`${relative(src, file)} imports ${match[1]}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('keeps audit exports (src/audit/export) on the chain source: imports only from src/audit', () => {
    const offenders: string[] = [];
    for (const file of files(join(src, 'audit', 'export'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) {
        if (!relative(src, resolve(dirname(file), match[1]!)).startsWith('audit/')) offenders.push(`${relative(src, file)} imports ${match[1]}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('exits the process only from cli/', () => {
    const offenders = files(src).filter((file) => !relative(src, file).startsWith('cli/') && /process\.exit\(/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
