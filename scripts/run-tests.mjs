// Finds every *.test.ts under src/ and test/ and runs them with node's test runner through tsx.
// Node 20 cannot glob test files itself, so this script does it.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = [];
const walk = (path) => {
  if (statSync(path).isFile()) {
    if (path.endsWith('.test.ts')) files.push(path);
    return;
  }
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') walk(join(path, entry));
};
roots.forEach(walk);
files.sort();
// A test file whose tests are done exits even if something it started still holds the event loop, and no single
// test may run longer than 5 minutes: a leak or a hang fails or ends one file instead of stalling the whole run.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
