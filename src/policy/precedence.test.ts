import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Policy, type ScannerInstance } from '../config/schema.ts';
import { applyLevel, effectivePolicy } from './precedence.ts';

const globalPolicy = Policy.parse({
  name: 'global',
  scanners: [
    { id: 'pii', scanner: 'data/pii', action: 'flag', threshold: 0.6, phases: ['request'], origins: ['user'] },
    { id: 'tuning', scanner: 'text/term-list', action: 'block', overridable: true, config: { terms: ['alpha'] } },
  ],
});

const instance = (policy: Policy, id: string): ScannerInstance => policy.scanners.find((candidate) => candidate.id === id)!;

describe('policy precedence: a lower level only tightens unless the level above allows an override', () => {
  const table: { name: string; document: unknown; check: (policy: Policy) => void }[] = [
    { name: 'absence inherits everything', document: {}, check: (p) => assert.deepEqual(p.scanners, globalPolicy.scanners) },
    { name: 'a stronger action applies', document: { scanners: [{ id: 'pii', scanner: 'data/pii', action: 'block' }] }, check: (p) => assert.equal(instance(p, 'pii').action, 'block') },
    { name: 'a weaker action is ignored', document: { scanners: [{ id: 'pii', scanner: 'data/pii', action: 'log' }] }, check: (p) => assert.equal(instance(p, 'pii').action, 'flag') },
    { name: 'a lower threshold applies', document: { scanners: [{ id: 'pii', scanner: 'data/pii', threshold: 0.3 }] }, check: (p) => assert.equal(instance(p, 'pii').threshold, 0.3) },
    { name: 'an instance repeated without an action keeps the action above (not the schema default block)', document: { scanners: [{ id: 'pii', scanner: 'data/pii', threshold: 0.3 }] }, check: (p) => { assert.equal(instance(p, 'pii').action, 'flag'); assert.equal(instance(p, 'pii').onError, 'block'); assert.deepEqual(instance(p, 'pii').phases, ['request']); } },
    { name: 'a higher threshold is ignored', document: { scanners: [{ id: 'pii', scanner: 'data/pii', threshold: 0.9 }] }, check: (p) => assert.equal(instance(p, 'pii').threshold, 0.6) },
    { name: 'disabling is ignored', document: { scanners: [{ id: 'pii', scanner: 'data/pii', enabled: false }] }, check: (p) => assert.equal(instance(p, 'pii').enabled, true) },
    { name: 'phases and origins only grow', document: { scanners: [{ id: 'pii', scanner: 'data/pii', phases: ['response'], origins: ['tool'] }] }, check: (p) => { assert.deepEqual(instance(p, 'pii').phases, ['request', 'response']); assert.deepEqual(instance(p, 'pii').origins, ['user', 'tool']); } },
    { name: 'fail-open is ignored', document: { scanners: [{ id: 'pii', scanner: 'data/pii', onError: 'allow' }] }, check: (p) => assert.equal(instance(p, 'pii').onError, 'block') },
    { name: 'rule actions only strengthen', document: { scanners: [{ id: 'pii', scanner: 'data/pii', ruleActions: { 'pii/CREDIT_CARD': 'block', 'pii/EMAIL_ADDRESS': 'log' } }] }, check: (p) => assert.deepEqual(instance(p, 'pii').ruleActions, { 'pii/CREDIT_CARD': 'block', 'pii/EMAIL_ADDRESS': 'log' }) },
    { name: 'scanner config cannot change unless overridable', document: { scanners: [{ id: 'pii', scanner: 'data/pii', config: { entities: ['EMAIL_ADDRESS'] } }] }, check: (p) => assert.deepEqual(instance(p, 'pii').config, {}) },
    { name: 'an overridable instance is replaced outright', document: { scanners: [{ id: 'tuning', scanner: 'text/term-list', action: 'flag', config: { terms: ['beta'] } }] }, check: (p) => { assert.equal(instance(p, 'tuning').action, 'flag'); assert.deepEqual(instance(p, 'tuning').config, { terms: ['beta'] }); } },
    { name: 'new instances are added', document: { scanners: [{ id: 'secrets', scanner: 'data/secrets' }] }, check: (p) => assert.deepEqual(p.scanners.map((s) => s.id), ['pii', 'tuning', 'secrets']) },
    { name: 'canary and packs are switched on, never off', document: { canary: { enabled: true }, packs: ['hipaa'] }, check: (p) => { assert.equal(p.canary.enabled, true); assert.deepEqual(p.packs, ['hipaa']); } },
  ];
  for (const row of table) it(row.name, () => row.check(applyLevel(globalPolicy, row.document, 'tenant:t1')));

  it('chains levels in order: a project cannot undo what its tenant tightened', () => {
    const effective = effectivePolicy(globalPolicy, [
      { level: 'tenant:t1', document: { canary: { enabled: true }, scanners: [{ id: 'pii', scanner: 'data/pii', action: 'block' }] } },
      { level: 'project:p1', document: { canary: { enabled: false }, scanners: [{ id: 'pii', scanner: 'data/pii', action: 'flag' }] } },
    ]);
    assert.equal(instance(effective, 'pii').action, 'block');
    assert.equal(effective.canary.enabled, true);
    assert.equal(effective.name, 'global/tenant:t1/project:p1');
  });

  it('rejects an invalid document naming the field', () => {
    assert.throws(() => applyLevel(globalPolicy, { scanners: [{ id: 'Bad Id', scanner: 'x' }] }, 'tenant:t1'), /scanners/);
  });
});
