// Rewrites the audit chain golden vectors in src/audit/golden/ (deterministic: the same files every run).
// Run after a deliberate format change only: the committed files are what the tests check against.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenVectors } from '../src/audit/golden/generate.ts';

const dir = join(import.meta.dirname, '..', 'src', 'audit', 'golden');
for (const [name, vector] of Object.entries(goldenVectors())) {
  writeFileSync(join(dir, name), `${JSON.stringify(vector, null, 2)}\n`);
  console.log(`wrote src/audit/golden/${name}`);
}
