import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Policy } from '../config/schema.ts';
import type { GatewayEvent } from '../store/types.ts';
import { bucketWidth, cites, collectReport } from './collect.ts';
import { frameworkIds, frameworkOf, frameworks } from './frameworks.ts';
import { renderReportHtml } from './html.ts';

const policy = Policy.parse({
  name: 'strict',
  scanners: [
    { id: 'pi', scanner: 'ai/prompt-injection' },
    { id: 'pii', scanner: 'data/pii', clauses: { 'pii/US_SSN': 'HIPAA §164.514(b)(2)(i)(G): social security numbers' } },
    { id: 'house', scanner: 'text/regex', enabled: false },
  ],
});

function event(id: string, time: string, decision: GatewayEvent['decision'], findings: GatewayEvent['findings'], tenant = 'acme'): GatewayEvent {
  return { id, requestId: id, time, route: '/v1/chat/completions', model: 'm', provider: 'p', policy: 'strict', decision, status: 200, findings, scanners: [], inputTokens: null, outputTokens: null, upstreamLatencyMs: null, totalLatencyMs: 1, streamed: false, content: null, tenant };
}
const finding = (instance: string, scanner: string, ruleId: string, action: string, clause?: string): GatewayEvent['findings'][number] => ({ instance, scanner, ruleId, severity: 'high', score: 0.9, segmentId: 's', origin: 'user', span: [0, 1], action, message: '<b>x</b>', ...(clause ? { clause } : {}) });

const events = [
  event('e1', '2026-03-01T10:10:00Z', 'block', [finding('pi', 'ai/prompt-injection', 'prompt-injection/sig/instruction-override', 'block')]),
  event('e2', '2026-03-01T11:20:00Z', 'block', [finding('pii', 'data/pii', 'pii/US_SSN', 'block', 'HIPAA §164.514(b)(2)(i)(G): social security numbers')], 'globex'),
  event('e3', '2026-03-01T11:30:00Z', 'allow', [finding('pi', 'ai/prompt-injection', 'prompt-injection/sig/instruction-override', 'log')]),
  event('e4', '2026-03-01T12:00:00Z', 'allow', []),
];

function data(framework = frameworks['owasp-llm-top10']) {
  return collectReport(input(framework));
}

function input(framework = frameworks['owasp-llm-top10']): Parameters<typeof collectReport>[0] {
  return {
    framework,
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-02T00:00:00.000Z',
    policy,
    packs: [],
    events,
    reviewItems: [
      { label: 'true-positive' },
      { label: 'false-positive' },
      { label: 'true-positive' },
      { label: null },
    ].map((item, i) => ({ id: `rv${i}`, eventId: `e${i}`, time: '', tenant: 'acme', policy: 'strict', decision: 'block' as const, reason: 'decision' as const, event: events[0]!, label: item.label as 'true-positive' | 'false-positive' | null, comment: null, reviewer: null, labelledAt: null })),
    chain: { ok: true, problems: [], partitions: ['acme', 'globex'], records: 4, checkpoints: 1, signaturesChecked: true, elapsedMs: 1, recordsPerSecond: 4000 },
    truncated: false,
    generated: { at: '2026-03-02T00:00:00.000Z', by: 'tester', version: 'bulwark 0.1.0', store: 'sqlite x' },
  };
}

describe('report data', () => {
  it('counts by decision, rule, clause, control, bucket and review label', () => {
    const d = data();
    assert.deepEqual(d.totals.byDecision, { allow: 2, flag: 0, redact: 0, block: 2, error: 0 });
    assert.equal(d.totals.findings, 3);
    assert.deepEqual(d.totals.tenants, ['acme', 'globex']);
    assert.deepEqual(d.byRule.map((r) => [r.ruleId, r.findings, r.blocked]), [['prompt-injection/sig/instruction-override', 2, 1], ['pii/US_SSN', 1, 1]]);
    assert.deepEqual(d.byClause, [{ clause: 'HIPAA §164.514(b)(2)(i)(G): social security numbers', findings: 1 }]);
    const llm01 = d.controls.find((row) => row.control.id === 'LLM01')!;
    assert.deepEqual([llm01.status, llm01.instances, llm01.findings], ['in force', ['pi'], 2]);
    const llm02 = d.controls.find((row) => row.control.id === 'LLM02')!;
    assert.deepEqual([llm02.status, llm02.instances, llm02.findings], ['in force', ['pii'], 1]);
    assert.equal(d.controls.find((row) => row.control.id === 'LLM06')!.status, 'not covered', 'the disabled regex instance does not count');
    assert.equal(d.series.bucketMs, 3_600_000);
    assert.equal(d.series.buckets.length, 24);
    assert.deepEqual([d.series.buckets[10]!.block, d.series.buckets[11]!.block, d.series.buckets[11]!.allow, d.series.buckets[12]!.allow], [1, 1, 1, 1]);
    assert.deepEqual(d.review, { truePositive: 2, falsePositive: 1, needsPolicyChange: 0, unlabelled: 1, precision: 2 / 3 });
  });

  it('maps an instance to a HIPAA control through the clauses it cites', () => {
    const d = data(frameworks.hipaa);
    assert.ok(d.instances.find((i) => i.id === 'pii')!.controls.includes('§164.514(b)'));
    assert.equal(cites('HIPAA §164.514(b)(2)(i)(G): x', '§164.514(b)'), true);
    assert.equal(cites('GDPR Art. 50', 'Art. 5'), false);
    assert.equal(cites('GDPR Art. 5(1)(c)', 'Art. 5'), true);
    assert.equal(cites('PCI 3.4.10', '3.4.1'), false);
  });

  it('aligns buckets to UTC hours', () => {
    const d = collectReport({ ...input(), from: '2026-03-01T09:40:00.000Z', to: '2026-03-01T12:10:00.000Z' });
    assert.deepEqual(d.series.buckets.map((b) => [b.start.slice(11, 16), b.block, b.allow]), [['09:00', 0, 0], ['10:00', 1, 0], ['11:00', 1, 1], ['12:00', 0, 1]]);
  });

  it('picks hour, day or week buckets from the period', () => {
    assert.equal(bucketWidth(0, 72 * 3_600_000), 3_600_000);
    assert.equal(bucketWidth(0, 30 * 86_400_000), 86_400_000);
    assert.equal(bucketWidth(0, 800 * 86_400_000), 7 * 86_400_000);
  });

  it('renders every framework as self-contained, escaped HTML', () => {
    for (const id of frameworkIds) {
      const html = renderReportHtml(data(frameworkOf(id)));
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<svg /);
      assert.doesNotMatch(html, /<script|<link|\ssrc=|\shref=/i);
      for (const control of frameworks[id].controls) assert.ok(html.includes(control.title.replace(/&/g, '&amp;')), `${id} ${control.id}`);
    }
    assert.throws(() => frameworkOf('sox'), /--framework: expected one of hipaa/);
  });
});
