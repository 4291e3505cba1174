/** Builders shared by the scanner tests: real canonical views, a live context, silent deps. */
import pino from 'pino';
import { canonicalize } from '../text/canonicalize.ts';
import type { Origin, Role } from '../wire/types.ts';
import type { Phase, ScanContext, ScanInput, ScanResult, ScanSegment, Scanner, ScannerDefinition, ScannerDeps } from './types.ts';

/** Silent dependencies for tests. */
export const testDeps: ScannerDeps = { logger: pino({ level: 'silent' }), dataDir: '.' };

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
