import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { routeTable } from '../table.ts';
import { OPENAPI_PATH } from './openapi.ts';

const methods = ['get', 'post', 'put', 'delete', 'patch'];

describe('docs/openapi/admin.yaml', () => {
  const document = parse(readFileSync(OPENAPI_PATH, 'utf8')) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { parameters: Record<string, { name: string }> } };

  it('is OpenAPI 3.1', () => assert.match(document.openapi, /^3\.1\./));

  it('describes every /admin/v1 route of the table, and nothing else', () => {
    const fromTable = routeTable.filter((route) => route.path.startsWith('/admin/v1')).map((route) => `${route.method} ${route.path}`).sort();
    const fromDocument = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => methods.includes(key)).map((method) => `${method.toUpperCase()} ${path}`)).sort();
    assert.ok(fromTable.length >= 20, `expected the admin routes in the table, got ${fromTable.length}`);
    assert.deepEqual(fromDocument, fromTable);
  });

  it('declares every path parameter the table uses', () => {
    for (const route of routeTable.filter((entry) => entry.path.startsWith('/admin/v1'))) {
      const names = [...route.path.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1]!);
      const item = document.paths[route.path] as { parameters?: { $ref: string }[] };
      const declared = (item.parameters ?? []).map((parameter) => document.components.parameters[parameter.$ref.split('/').at(-1)!]!.name);
      assert.deepEqual(declared.sort(), names.sort(), route.path);
    }
  });

  it('every admin route authenticates admin credentials (auth: admin) and has an admin.* name', () => {
    for (const route of routeTable.filter((entry) => entry.path.startsWith('/admin/'))) {
      assert.equal(route.auth, 'admin', route.path);
      assert.match(route.name, /^admin\.[a-z]+\.[a-z]+$/, route.path);
    }
  });
});
