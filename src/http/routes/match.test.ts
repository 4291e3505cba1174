import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRouteMatcher } from './match.ts';
import type { RouteDefinition } from './types.ts';

const route = (method: RouteDefinition['method'], path: string): RouteDefinition => ({ method, path, name: `${method} ${path}`, format: 'openai', handle: () => undefined });
const matcher = createRouteMatcher([route('GET', '/v1/models'), route('GET', '/admin/v1/tenants/{tenant}'), route('POST', '/admin/v1/tenants/{tenant}/keys/{key}/revoke'), route('GET', '/admin/v1/tenants/{tenant}/keys')]);

describe('route matcher', () => {
  it('matches exact paths and {name} templates, decoding parameters', () => {
    assert.equal(matcher.find('GET', '/v1/models')?.route.path, '/v1/models');
    assert.deepEqual(matcher.find('GET', '/admin/v1/tenants/acme')?.params, { tenant: 'acme' });
    assert.deepEqual(matcher.find('POST', '/admin/v1/tenants/ten_1/keys/key_2/revoke')?.params, { tenant: 'ten_1', key: 'key_2' });
    assert.deepEqual(matcher.find('GET', '/admin/v1/tenants/a%2Db')?.params, { tenant: 'a-b' });
  });

  it('refuses odd parameters and wrong shapes; knows paths for 405', () => {
    for (const path of ['/admin/v1/tenants/a%2Fb', '/admin/v1/tenants/', '/admin/v1/tenants/%E0%A4%A', '/admin/v1/tenants/acme/extra', `/admin/v1/tenants/${'x'.repeat(129)}`]) assert.equal(matcher.find('GET', path), null, path);
    assert.equal(matcher.find('DELETE', '/admin/v1/tenants/acme'), null);
    assert.equal(matcher.pathKnown('/admin/v1/tenants/acme'), true);
    assert.equal(matcher.pathKnown('/admin/v1/nothing'), false);
  });
});
