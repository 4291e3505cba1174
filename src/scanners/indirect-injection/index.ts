/** ai/indirect-injection: instructions hidden in retrieved documents and tool results (shared code in ../injection/). */
import { injectionDefinition } from '../injection/scanner.ts';

export const indirectInjectionScanner = injectionDefinition('ai/indirect-injection', 'indirect-injection', 'indirect', 'Detects instructions injected into documents, emails, web pages and tool results (text addressed to the assistant, override transitions, fake role markers).');
