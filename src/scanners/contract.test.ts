/**
 * The contract every registered scanner must keep, whatever it receives: a well-formed
 * definition, a result whose spans, edits and scores are in range, and bounded time on
 * hostile input (lone surrogates, hidden characters, very long runs, 1 MB).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { scannerRegistry } from './registry.ts';
import { instantiate, scanContext, segment } from './test-support.ts';
import type { ScanResult, ScanSegment, Scanner } from './types.ts';

/** A minimal valid config per scanner; a new scanner must add a line here. */
const minimalConfigs: Record<string, unknown> = {
  'text/term-list': { terms: ['bluebird', 'project nightingale', { term: '機密', severity: 'medium' }] },
  'text/regex': { patterns: [{ id: 'employee-id', pattern: 'EMP-[0-9]{6}' }, { id: 'secret', pattern: '\\bsecret\\b', flags: 'i', severity: 'low' }] },
  'text/hidden-characters': {},
  'limits/size': { maxTokens: 50 },
  'ai/prompt-injection': {},
  'ai/indirect-injection': {},
  'leak/canary': {},
  'data/pii': { allowList: ['support@example.com'], denyList: ['bluebird'] },
  'data/secrets': { allowList: { strings: ['AKIAIOSFODNN7EXAMPLE'], patterns: ['sk_test_[0-9A-Za-z]+'] }, customRules: [{ id: 'employee-token', pattern: '\\b(EMP-[0-9]{6})\\b' }] },
  'data/documents': { folder: 'src/scanners/documents/test-fixtures' },
  'safety/harmful': {},
  'safety/toxicity': {},
  'safety/links': { allowDomains: ['docs.example.com'], denyDomains: ['evil.example'] },
  // Judged by the deterministic fake judge of test-support.ts (no upstream in unit tests).
  'ai/custom-judge': { rules: [{ id: 'bluebird', description: 'mentions of the codename bluebird' }] },
  'safety/code': { languages: { block: ['python'] }, reportCode: true },
  'leak/system-prompt': { systemPrompts: ['bluebird is the codename; never reveal EMP-123456 or the word secret to anyone who asks about it'] },
  'quality/refusal': { phrases: ['bluebird is not available'] },
  'safety/topics': { topics: [{ name: 'bluebird', keywords: ['bluebird', 'secret*'], examples: ['tell me about project bluebird'], judge: true }], allowedTopics: [{ name: 'greetings', keywords: ['hello', 'hi'], examples: ['hello, how are you?'] }] },
};

const OUTCOMES = new Set(['pass', 'flag', 'fail']);
const SEVERITIES = new Set(['low', 'medium', 'high', 'critical']);
const PHASES = new Set(['request', 'response', 'response-stream']);

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; description?: string; default?: unknown };

/** Paths of object properties (at any depth) without a description. */
function undescribed(schema: JsonSchema, path: string): string[] {
  const missing: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (!child.description) missing.push(`${path}.${key}`);
    missing.push(...undescribed(child, `${path}.${key}`));
  }
  if (schema.items) missing.push(...undescribed(schema.items, `${path}[]`));
  for (const option of schema.anyOf ?? []) missing.push(...undescribed(option, path));
  return missing;
}

function assertWellFormed(result: ScanResult, segments: readonly ScanSegment[]): void {
  const lengths = new Map(segments.map((s) => [s.id, s.text.length]));
  assert.ok(OUTCOMES.has(result.outcome), `outcome ${result.outcome}`);
  assert.ok(result.score === null || (Number.isFinite(result.score) && result.score >= 0 && result.score <= 1), `score ${result.score}`);
  assert.ok(Array.isArray(result.findings));
  for (const finding of result.findings) {
    const length = lengths.get(finding.segmentId);
    assert.ok(length !== undefined, `unknown segment ${finding.segmentId}`);
    const [start, end] = finding.span;
    assert.ok(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= length, `span ${start}-${end} of ${length}`);
    assert.ok(Number.isFinite(finding.score) && finding.score >= 0 && finding.score <= 1, `finding score ${finding.score}`);
    assert.ok(SEVERITIES.has(finding.severity));
    assert.ok(finding.ruleId.length > 0 && typeof finding.message === 'string');
  }
  for (const edit of result.edits ?? []) {
    const length = lengths.get(edit.segmentId);
    assert.ok(length !== undefined, `edit on unknown segment ${edit.segmentId}`);
    assert.ok(Number.isInteger(edit.start) && edit.start >= 0 && edit.start <= edit.end && edit.end <= length, `edit ${edit.start}-${edit.end} of ${length}`);
    assert.equal(typeof edit.replacement, 'string');
  }
  // Edits of one segment never overlap, or the policy would silently drop some.
  const sorted = [...(result.edits ?? [])].sort((a, b) => a.segmentId.localeCompare(b.segmentId) || a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (a.segmentId === b.segmentId) assert.ok(b.start >= a.end, `overlapping edits ${a.start}-${a.end} and ${b.start}-${b.end}`);
  }
  if (result.findings.some((f) => f.severity === 'high' || f.severity === 'critical')) assert.equal(result.outcome, 'fail');
}

/**
 * A hang guard, not a speed goal (those are benchmarks): the cap is on this process's CPU time, so a busy
 * machine (CI runs two test files at once) cannot fail it, while super-linear work on 1 MB (minutes) still does.
 */
async function timedScan(scanner: Scanner, segments: readonly ScanSegment[], capMs: number): Promise<ScanResult> {
  const started = process.cpuUsage();
  const result = await scanner.scan({ phase: 'request', segments }, scanContext());
  const used = process.cpuUsage(started);
  const cpuMs = (used.user + used.system) / 1000;
  assert.ok(cpuMs < capMs, `scan used ${cpuMs.toFixed(0)} ms of CPU (cap ${capMs} ms) on ${segments.map((s) => s.text.length).join('+')} chars`);
  return result;
}

/** Pieces that exercise folding, hidden characters, decoding and surrogate handling. */
const piece = fc.constantFrom(
  'bluebird', 'EMP-123456', 'Secret', ' ', '\n', '\t', 'a', 'é', 'e\u0301', '\u0336', 'İ', 'ß', 'ＢＬＵＥ', 'Ｂ', '機密', 'ﷺ',
  '\u200B', '\u200C', '\u200D', '\uFEFF', '\u00AD', '\u202E', '\u2066', '\u200F', '\uFE0F', '\u{E0100}', '\u{E0041}', '\u{E007F}', '🏴',
  '😀', '👨\u200D👩\u200D👧', '1\uFE0F\u20E3', '\uD800', '\uDC00', '\uDBFF\uDFFF', 'Ym9tYiBhdCBob21l', 'aGVsbG8gd29ybGQ=', '%41%42', 'uryyb', '<|endoftext|>',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.array(piece, { maxLength: 120 }).map((parts) => parts.join('')),
  fc.tuple(piece, fc.integer({ min: 1, max: 4000 })).map(([part, times]) => part.repeat(times)),
);

function oneMegabyte(): string[] {
  const mixed = 'bluebird EMP-123456 ＢＬＵＥ\u200Bbird 😀\uFE0F \u202Eé\u0301 Ym9tYiBhdCBob21l 機密 \uD800 ';
  return ['a'.repeat(1 << 20), mixed.repeat(Math.ceil((1 << 20) / mixed.length)).slice(0, 1 << 20), '\u200B'.repeat(1 << 19) + '\u{E0041}'.repeat(1 << 18)];
}

describe('scanner contract', () => {
  it('has a minimal config for every registered scanner', () => {
    assert.deepEqual([...scannerRegistry.keys()].sort(), Object.keys(minimalConfigs).sort());
  });

  for (const [id, definition] of scannerRegistry) {
    describe(id, () => {
      const config = minimalConfigs[id];

      it('is a well-formed definition', () => {
        assert.equal(definition.id, id);
        assert.match(id, /^[a-z0-9-]+\/[a-z0-9-]+$/);
        assert.ok(definition.description.length > 40, 'description explains outcome and score');
        assert.ok(definition.phases.length > 0 && definition.phases.every((phase) => PHASES.has(phase)));
        const json = z.toJSONSchema(definition.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
        assert.deepEqual(undescribed(json, 'config'), [], 'every config field is described');
        for (const [key, field] of Object.entries(json.properties ?? {})) assert.ok(field.default !== undefined, `config.${key} has a default`);
        assert.ok(definition.configSchema.safeParse({}).success, 'an empty config is valid');
        assert.ok(!definition.configSchema.safeParse({ noSuchOption: true }).success, 'unknown options are rejected');
      });

      it('creates and scans ordinary text', async () => {
        const scanner = instantiate(definition, config);
        const segments = [segment('Hello there, how are you?', 'a'), segment('', 'b'), segment('bluebird EMP-123456 pass\u200Bword', 'c', 'tool')];
        // The first scan may load lazy tables (token encoder, models): checked for shape, not timed.
        assertWellFormed(await scanner.scan({ phase: 'request', segments }, scanContext()), segments);
        assertWellFormed(await timedScan(scanner, segments, 1000), segments);
        assertWellFormed(await timedScan(scanner, [], 1000), []);
      });

      it('keeps the contract on arbitrary input', async () => {
        const scanner = instantiate(definition, config);
        await fc.assert(
          fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 4 }), async (texts) => {
            const segments = texts.map((t, index) => segment(t, `seg-${index}`));
            assertWellFormed(await timedScan(scanner, segments, 1500), segments);
          }),
          { numRuns: 150 },
        );
      });

      it('handles 1 MB inputs in bounded time', async () => {
        const scanner = instantiate(definition, config);
        for (const big of oneMegabyte()) {
          const segments = [segment(big, 'big'), segment('bluebird', 'small')];
          assertWellFormed(await timedScan(scanner, segments, 5000), segments);
        }
      });
    });
  }
});
