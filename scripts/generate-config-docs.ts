// npm run docs:config — regenerates docs/configuration.md from the schemas (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from '../src/config/reference.ts';
import { scannerRegistry } from '../src/scanners/registry.ts';

const target = join(import.meta.dirname, '..', 'docs', 'configuration.md');
writeFileSync(target, renderConfigReference(scannerRegistry));
console.log(`wrote ${target}`);
