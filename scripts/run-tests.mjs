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
// No single test may run longer than 5 minutes, and the whole run is stopped after 15 (CI allows 20): a hang
// fails the run with a message instead of stalling it. (--test-force-exit is not used: on Node 20 it can end a
// file while subtests registered in loops are still running, dropping them without a failure.)
const limitMs = 15 * 60 * 1000;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit', timeout: limitMs, killSignal: 'SIGKILL' });
if (result.error || result.status === null) {
  console.error(`run-tests: the test run did not finish within ${limitMs / 60000} minutes (${result.error?.message ?? result.signal}); a test or a handle it left open hangs.`);
  process.exit(1);
}
process.exit(result.status);
