/**
 * Every scanner the gateway knows, in one explicit table: adding a scanner means adding a
 * line here (no side-effect registration, so what ships is what this file lists).
 */
import { canaryScanner } from './canary/index.ts';
import { codeScanner } from './code/index.ts';
import { customJudgeScanner } from './custom-judge/index.ts';
import { documentsScanner } from './documents/index.ts';
import { harmfulScanner } from './harmful/index.ts';
import { hiddenCharactersScanner } from './hidden-characters/index.ts';
import { indirectInjectionScanner } from './indirect-injection/index.ts';
import { linksScanner } from './links/index.ts';
import { piiScanner } from './pii/index.ts';
import { promptInjectionScanner } from './prompt-injection/index.ts';
import { refusalScanner } from './refusal/index.ts';
import { regexScanner } from './regex/index.ts';
import { secretsScanner } from './secrets/index.ts';
import { sizeLimitsScanner } from './size-limits/index.ts';
import { systemPromptScanner } from './system-prompt/index.ts';
import { termListScanner } from './term-list/index.ts';
import { topicsScanner } from './topics/index.ts';
import { toxicityScanner } from './toxicity/index.ts';
import type { ScannerDefinition } from './types.ts';

const definitions: readonly ScannerDefinition[] = [termListScanner, regexScanner, hiddenCharactersScanner, sizeLimitsScanner, promptInjectionScanner, indirectInjectionScanner, canaryScanner, piiScanner, secretsScanner, harmfulScanner, toxicityScanner, linksScanner, documentsScanner, customJudgeScanner, codeScanner, systemPromptScanner, refusalScanner, topicsScanner];

/** Scanner definitions by id. */
export const scannerRegistry: ReadonlyMap<string, ScannerDefinition> = new Map(definitions.map((definition) => [definition.id, definition]));

/** The definition registered under `id`, or undefined. */
export function getScannerDefinition(id: string): ScannerDefinition | undefined {
  return scannerRegistry.get(id);
}
