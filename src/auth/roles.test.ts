import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIONS, can, canGrant, ROLES, strongestRole, type Role } from './roles.ts';

// The expected permission table, written out by hand (not derived from PERMISSIONS), one column per action in this order:
const columns = ['tenants:read', 'tenants:write', 'projects:read', 'projects:write', 'keys:read', 'keys:write', 'policies:read', 'policies:write', 'credentials:read', 'credentials:write', 'users:read', 'users:write', 'events:read', 'events:content', 'audit:export', 'review:label', 'inference'] as const;
const expected: Record<Role, string> = {
  owner: '          x x x x x x x x x x x x x x x x .',
  admin: '          x x x x x x x x x x x x x x x x .',
  'policy-editor': 'x . x . . . x x . . . . x . . . .',
  reviewer: '       x . x . . . x . . . . . x . . x .',
  auditor: '        x . x . x . x . x . x . x x x . .',
  application: '    . . . . . . . . . . . . . . . . x',
};
const allowed = (role: Role, action: string): boolean => expected[role].trim().split(/\s+/)[columns.indexOf(action as (typeof columns)[number])] === 'x';

describe('roles: can(principal, action, tenant)', () => {
  it('the hand-written table covers exactly the declared roles and actions', () => {
    assert.deepEqual([...columns].sort(), [...ACTIONS].sort());
    assert.deepEqual(Object.keys(expected).sort(), [...ROLES].sort());
    for (const role of ROLES) assert.equal(expected[role].trim().split(/\s+/).length, columns.length, role);
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      it(`${role} × ${action}: own tenant ${allowed(role, action) ? 'allowed' : 'refused'}, other tenant and platform refused`, () => {
        const principal = { role, tenant: 'ten_a' };
        assert.equal(can(principal, action, 'ten_a'), allowed(role, action), 'same tenant');
        assert.equal(can(principal, action, 'ten_b'), false, 'other tenant');
        assert.equal(can(principal, action, null), false, 'platform level');
      });
      it(`${role} × ${action}: platform-wide (no tenant) ${role === 'owner' && allowed(role, action) ? 'allowed everywhere' : 'refused everywhere'}`, () => {
        const principal = { role, tenant: null };
        const expectation = role === 'owner' && allowed(role, action);
        for (const tenant of ['ten_a', 'ten_b', null]) assert.equal(can(principal, action, tenant), expectation, String(tenant));
      });
    }
  }

  it('grants only roles whose rights the granter has, on its own tenant', () => {
    const admin = { role: 'admin' as const, tenant: 'ten_a' };
    assert.equal(canGrant(admin, 'auditor', 'ten_a'), true);
    assert.equal(canGrant(admin, 'admin', 'ten_a'), true);
    assert.equal(canGrant(admin, 'application', 'ten_a'), true);
    assert.equal(canGrant(admin, 'owner', 'ten_a'), false, 'no escalation to owner');
    assert.equal(canGrant(admin, 'auditor', 'ten_b'), false, 'not in another tenant');
    assert.equal(canGrant({ role: 'auditor', tenant: 'ten_a' }, 'reviewer', 'ten_a'), false, 'auditors cannot write users');
    assert.equal(canGrant({ role: 'owner', tenant: null }, 'owner', null), true);
    assert.equal(canGrant({ role: 'owner', tenant: null }, 'admin', null), false, 'only owners may be platform-wide');
  });

  it('picks the strongest of several mapped roles', () => {
    assert.equal(strongestRole(['auditor', 'admin']), 'admin');
    assert.equal(strongestRole([]), null);
  });
});
