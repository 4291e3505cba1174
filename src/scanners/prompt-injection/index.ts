/** ai/prompt-injection: direct prompt injection and jailbreaks in user turns (shared code in ../injection/). */
import { injectionDefinition } from '../injection/scanner.ts';

export const promptInjectionScanner = injectionDefinition('ai/prompt-injection', 'prompt-injection', 'direct', 'Detects direct prompt injection and jailbreaks (instruction override, role hijack, system-prompt extraction, DAN personas, delimiter injection, encoded payloads).');
