// npm run docs:config — regenerates docs/configuration.md and docs/config.schema.json from the schemas (a test fails when either is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../src/config/json-schema.ts';
import { renderConfigReference } from '../src/config/reference.ts';
import { scannerRegistry } from '../src/scanners/registry.ts';

const docs = join(import.meta.dirname, '..', 'docs');
writeFileSync(join(docs, 'configuration.md'), renderConfigReference(scannerRegistry));
writeFileSync(join(docs, 'config.schema.json'), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${docs}/configuration.md and ${docs}/config.schema.json`);
