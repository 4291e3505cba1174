/** Builders shared by the scanner tests: real canonical views, a live context, silent deps. */
import pino from 'pino';
import { canonicalize } from '../text/canonicalize.ts';
import type { Origin, Role } from '../wire/types.ts';
import type { JudgeClient, Phase, ScanContext, ScanInput, ScanResult, ScanSegment, Scanner, ScannerDefinition, ScannerDeps } from './types.ts';

/**
 * A deterministic stand-in for the LLM judge (judge scanners only): custom rules whose id appears in
 * the data block match; injection prompts are judged clean. Answers the JSON formats the scanners ask for.
 */
export const fakeJudge: JudgeClient = {
  async complete({ system, user, signal }) {
    signal.throwIfAborted();
    const data = /<data-[0-9a-f]+>([\s\S]*)<\/data-[0-9a-f]+>/.exec(user)?.[1] ?? '';
    if (!system.includes('numbered rules')) return '{"injection": false, "confidence": 0.5}';
    const ids = [...system.matchAll(/^\d+\. \[([a-z0-9_-]+)\]/gm)].map((match) => match[1]!);
    return JSON.stringify({ matched: ids.filter((id) => data.toLowerCase().includes(id)).map((id) => ({ id, confidence: 0.9 })) });
  },
};

/** Silent dependencies for tests, with the fake judge. */
export const testDeps: ScannerDeps = { logger: pino({ level: 'silent' }), dataDir: '.', judge: fakeJudge };

/** A segment with its real canonical view. */
export function segment(text: string, id = 's0', origin: Origin = 'user'): ScanSegment {
  const role: Role = origin === 'document' ? 'user' : origin;
  return { id, role, origin, text, canonical: canonicalize(text) };
}

/** A scan input from texts (ids s0, s1, ...) or ready-made segments. */
export function scanInput(items: readonly (string | ScanSegment)[], phase: Phase = 'request'): ScanInput {
  return { phase, segments: items.map((item, index) => (typeof item === 'string' ? segment(item, `s${index}`) : item)) };
}

/** A context whose signal never fires. */
export function scanContext(): ScanContext {
  return { requestId: 'test', signal: new AbortController().signal, state: new Map() };
}

/** Validates `config` with the definition's schema (applying defaults) and creates the scanner. */
export function instantiate(definition: ScannerDefinition, config: unknown = {}): Scanner {
  return definition.create(definition.configSchema.parse(config), testDeps);
}

/** Creates a scanner and scans the given texts in one go. */
export async function scanTexts(definition: ScannerDefinition, config: unknown, texts: readonly (string | ScanSegment)[], phase: Phase = 'request'): Promise<ScanResult> {
  return instantiate(definition, config).scan(scanInput(texts, phase), scanContext());
}
