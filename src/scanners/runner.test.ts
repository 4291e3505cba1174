import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { z } from 'zod';
import { ScannerInstance } from '../config/schema.ts';
import { buildScannerSlots, ScannerRunner } from './runner.ts';
import { defineScanner, type ScanResult, type ScanSegment } from './types.ts';

const logger = pino({ level: 'silent' });
const text = 'hello world';
const segments: ScanSegment[] = [
  { id: 's0', role: 'user', origin: 'user', text, canonical: { original: text, text, hidden: [], decoded: [], toOriginal: (s, e) => [s, e] } },
  { id: 's1', role: 'tool', origin: 'tool', text, canonical: { original: text, text, hidden: [], decoded: [], toOriginal: (s, e) => [s, e] } },
];

const behaviours = {
  ok: (): ScanResult => ({ outcome: 'fail', score: 1, findings: [{ ruleId: 't/ok', message: 'm', severity: 'high', score: 1, segmentId: 's0', span: [0, 5] }] }),
  throws: (): ScanResult => {
    throw new Error('scanner bug');
  },
  slow: (): Promise<ScanResult> => new Promise((resolve) => setTimeout(() => resolve({ outcome: 'pass', score: 0, findings: [] }), 200)),
  outOfRange: (): ScanResult => ({ outcome: 'fail', score: 7, findings: [{ ruleId: 't/bad', message: 'm', severity: 'high', score: 7, segmentId: 's0', span: [5, 500] }, { ruleId: 't/good', message: 'm', severity: 'high', score: 7, segmentId: 's0', span: [0, 1] }] }),
  editsOnly: (): ScanResult => ({ outcome: 'pass', score: 0, findings: [], edits: [{ segmentId: 's0', start: 0, end: 500, replacement: '' }, { segmentId: 's0', start: 0, end: 1, replacement: '' }] }),
  badTail: (): ScanResult => ({ outcome: 'pass', score: 0, findings: [], tail: -3 }),
  asyncOk: (): Promise<ScanResult> => Promise.resolve({ outcome: 'pass', score: 0, findings: [], tail: 2 }),
  rejects: (): Promise<ScanResult> => Promise.reject(new Error('async scanner bug')),
  origins: (input: { segments: readonly ScanSegment[] }): ScanResult => ({ outcome: 'pass', score: 0, findings: input.segments.map((segment) => ({ ruleId: `seen/${segment.origin}`, message: '', severity: 'low', score: 1, segmentId: segment.id, span: [0, 0] })) }),
};
const fake = defineScanner({
  id: 'test/fake',
  description: 'test double',
  phases: ['request', 'response'],
  configSchema: z.object({ behaviour: z.enum(['ok', 'throws', 'slow', 'outOfRange', 'editsOnly', 'badTail', 'asyncOk', 'rejects', 'origins']).default('ok') }).strict(),
  create: (config) => ({ scan: (input) => behaviours[config.behaviour](input) }),
});
const registry = new Map([[fake.id, fake]]);
const build = (instances: z.input<typeof ScannerInstance>[]) => buildScannerSlots(instances.map((instance) => ScannerInstance.parse(instance)), registry, { logger, dataDir: '.' });

describe('scanner runner', () => {
  it('collects every build problem with its path', () => {
    const { problems } = build([
      { id: 'a', scanner: 'test/missing' },
      { id: 'a', scanner: 'test/fake', config: { behaviour: 'nope' } },
      { id: 'b', scanner: 'test/fake', phases: ['response-stream'] },
    ]);
    const paths = problems.map((problem) => problem.path);
    assert.ok(paths.includes('policy.scanners[0].scanner'));
    assert.ok(paths.includes('policy.scanners[1].id'));
    assert.ok(paths.includes('policy.scanners[1].config.behaviour'));
    assert.ok(paths.includes('policy.scanners[2].phases'));
  });

  it('runs two instances of one scanner independently', async () => {
    const { slots } = build([{ id: 'one', scanner: 'test/fake' }, { id: 'two', scanner: 'test/fake', config: { behaviour: 'throws' } }]);
    const runs = await new ScannerRunner(slots, logger).run('request', segments, { requestId: 'r', state: new Map() });
    assert.deepEqual(runs.map((run) => [run.slot.settings.id, run.status]), [['one', 'ok'], ['two', 'error']]);
    assert.equal(runs[1]?.error, 'scanner bug');
  });

  it('turns a missed deadline into a timeout', async () => {
    const { slots } = build([{ id: 'slow', scanner: 'test/fake', timeoutMs: 20, config: { behaviour: 'slow' } }]);
    const [run] = await new ScannerRunner(slots, logger).run('request', segments, { requestId: 'r', state: new Map() });
    assert.equal(run?.status, 'timeout');
    assert.ok((run?.latencyMs ?? 0) < 150);
  });

  it('drops findings outside the text and clamps scores', async () => {
    const { slots } = build([{ id: 'x', scanner: 'test/fake', config: { behaviour: 'outOfRange' } }]);
    const [run] = await new ScannerRunner(slots, logger).run('request', segments, { requestId: 'r', state: new Map() });
    assert.deepEqual(run?.result?.findings.map((finding) => [finding.ruleId, finding.score]), [['t/good', 1]]);
  });

  it('sanitises results with no findings too: out-of-range edits and an insane tail are dropped', async () => {
    const { slots } = build([{ id: 'edits', scanner: 'test/fake', config: { behaviour: 'editsOnly' } }, { id: 'tail', scanner: 'test/fake', config: { behaviour: 'badTail' } }, { id: 'async', scanner: 'test/fake', config: { behaviour: 'asyncOk' } }]);
    const [edits, tail, clean] = await new ScannerRunner(slots, logger).run('request', segments, { requestId: 'r', state: new Map() });
    assert.deepEqual(edits?.result?.edits?.map((edit) => [edit.start, edit.end]), [[0, 1]]);
    assert.equal(tail?.status, 'ok');
    assert.equal(Object.hasOwn(tail?.result ?? {}, 'tail'), false);
    assert.equal(clean?.result?.tail, 2);
  });

  it('runs synchronous and asynchronous scanners together, in slot order, with rejections as errors', async () => {
    const { slots } = build([
      { id: 'async', scanner: 'test/fake', config: { behaviour: 'asyncOk' } },
      { id: 'sync', scanner: 'test/fake' },
      { id: 'rejects', scanner: 'test/fake', config: { behaviour: 'rejects' } },
      { id: 'no-documents', scanner: 'test/fake', origins: ['document'], config: { behaviour: 'origins' } },
    ]);
    const runs = await new ScannerRunner(slots, logger).run('request', segments, { requestId: 'r', state: new Map() });
    assert.deepEqual(runs.map((run) => [run.slot.settings.id, run.status]), [['async', 'ok'], ['sync', 'ok'], ['rejects', 'error'], ['no-documents', 'ok']]);
    assert.equal(runs[2]?.error, 'async scanner bug');
    assert.deepEqual(runs[1]?.segmentIds, ['s0', 's1']);
    assert.deepEqual(runs[3]?.result, { outcome: 'pass', score: null, findings: [] });
    assert.deepEqual(runs[3]?.segmentIds, []);
  });

  it('filters segments by origin and phase', async () => {
    const { slots } = build([{ id: 'tools-only', scanner: 'test/fake', origins: ['tool'], config: { behaviour: 'origins' } }, { id: 'responses', scanner: 'test/fake', phases: ['response'], config: { behaviour: 'origins' } }]);
    const runner = new ScannerRunner(slots, logger);
    const runs = await runner.run('request', segments, { requestId: 'r', state: new Map() });
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]?.result?.findings.map((finding) => finding.ruleId), ['seen/tool']);
    assert.equal(runner.has('response-stream'), false);
  });
});
