import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scannerRegistry } from '../scanners/registry.ts';
import { configJsonSchema } from './json-schema.ts';
import { renderConfigReference } from './reference.ts';

describe('configuration reference', () => {
  it('docs/configuration.md matches the schemas (run npm run docs:config)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    assert.equal(committed, renderConfigReference(scannerRegistry));
  });

  it('docs/config.schema.json matches the schema (run npm run docs:config)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'config.schema.json'), 'utf8'));
    assert.deepEqual(committed, configJsonSchema());
  });

  it('documents every field of the top-level schema and every scanner', () => {
    const text = renderConfigReference(scannerRegistry);
    for (const path of ['server.port', 'routes[].retry.attempts', 'policy.scanners[].originActions', 'providers[].apiKey']) assert.ok(text.includes(`\`${path}\``), path);
    for (const id of scannerRegistry.keys()) assert.ok(text.includes(`### \`${id}\``), id);
  });
});
