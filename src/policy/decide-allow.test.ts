import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ScannerInstance } from '../config/schema.ts';
import type { InstanceRun } from '../scanners/runner.ts';
import type { ScanResult, ScanSegment } from '../scanners/types.ts';
import { decide, type FindingHooks } from './decide.ts';

const segment = (id: string, text: string): ScanSegment => ({ id, role: 'user', origin: 'user', text, canonical: { original: text, text, hidden: [], decoded: [], toOriginal: (s, e) => [s, e] } });
const run = (settings: z.input<typeof ScannerInstance>, result: ScanResult): InstanceRun => ({
  slot: { settings: ScannerInstance.parse(settings), definition: { id: 'test/scanner', description: '', phases: ['request'], configSchema: z.object({}), create: () => ({ scan: () => ({ outcome: 'pass', score: null, findings: [] }) }) }, scanner: { scan: () => ({ outcome: 'pass', score: null, findings: [] }) } },
  status: 'ok',
  result,
  segmentIds: [],
  latencyMs: 0,
});

describe('policy decisions with review allow-list hooks', () => {
  const segments = [segment('a', 'please kill the process'), segment('b', 'kill them all')];
  const result: ScanResult = {
    outcome: 'fail',
    score: 1,
    findings: [
      { ruleId: 'term/kill', message: 'm', severity: 'high', score: 1, segmentId: 'a', span: [7, 11] },
      { ruleId: 'term/kill-all', message: 'm', severity: 'high', score: 1, segmentId: 'b', span: [0, 13] },
    ],
  };
  const seen: string[] = [];
  const hooks: FindingHooks = {
    fingerprint: (text) => {
      seen.push(text);
      return `fp:${text.length}`;
    },
    allowed: (instance, ruleId, fingerprint) => instance === 'terms' && ruleId === 'term/kill' && fingerprint === 'fp:4',
  };

  it('fingerprints the matched span and lowers an allow-listed finding to log', () => {
    const verdict = decide([run({ id: 'terms', scanner: 's', action: 'block' }, result)], segments, hooks);
    assert.deepEqual(seen, ['kill', 'kill them all']);
    assert.deepEqual(verdict.findings.map((f) => [f.ruleId, f.action, f.matchFingerprint, f.allowListed ?? false]), [['term/kill', 'log', 'fp:4', true], ['term/kill-all', 'block', 'fp:13', false]]);
    assert.equal(verdict.decision, 'block');
  });

  it('allows the request when every acting finding is allow-listed', () => {
    const only: ScanResult = { ...result, findings: [result.findings[0]!] };
    assert.equal(decide([run({ id: 'terms', scanner: 's', action: 'block' }, only)], segments, hooks).decision, 'allow');
    assert.equal(decide([run({ id: 'terms', scanner: 's', action: 'block' }, only)], segments).decision, 'block', 'without hooks nothing changes');
    assert.equal(decide([run({ id: 'other', scanner: 's', action: 'block' }, only)], segments, hooks).decision, 'block', 'another instance is not covered');
  });
});
