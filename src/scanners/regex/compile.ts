/**
 * Compiling user patterns with RE2 only: RE2 runs in linear time, so a configured pattern
 * can never hang the gateway the way a backtracking V8 RegExp can.
 */
import RE2 from 're2';

/** An RE2.Set instance (the typings export only its constructor). */
export type PatternSet = InstanceType<typeof RE2.Set>;

/** A compiled pattern: the matcher used to find spans, and its source for an RE2.Set. */
export interface CompiledPattern {
  regex: RE2;
  /** RE2 syntax with the flags inlined, as RE2.Set wants a single flag set for all patterns. */
  setSource: string;
}

/** Why RE2 rejected a pattern, with a hint for the usual suspects. */
function explain(message: string): string {
  if (/invalid escape sequence: \\[1-9]/.test(message) || /\\k</.test(message)) return `${message} (backreferences are not supported: RE2 guarantees linear time)`;
  if (/invalid perl operator: \(\?<?[=!]/.test(message)) return `${message} (lookahead and lookbehind are not supported: RE2 guarantees linear time)`;
  return message;
}

/** Compiles one pattern or throws an Error that names the pattern id and the reason. */
export function compilePattern(id: string, pattern: string, flags: string): CompiledPattern {
  let regex: RE2;
  try {
    regex = new RE2(pattern, `${flags}gu`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`RE2 cannot compile pattern "${id}": ${explain(reason)}`);
  }
  const inline = flags.length > 0 ? `(?${flags})` : '';
  return { regex, setSource: `${inline}${regex.internalSource}` };
}

/** The reason a pattern does not compile, or undefined when it does; used by the config schema. */
export function patternProblem(id: string, pattern: string, flags: string): string | undefined {
  try {
    compilePattern(id, pattern, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Builds a set that tells in one pass which patterns match at all; undefined when not worth it. */
export function compileSet(patterns: readonly CompiledPattern[]): PatternSet | undefined {
  if (patterns.length < 2) return undefined;
  try {
    return new RE2.Set(patterns.map((pattern) => pattern.setSource), 'u');
  } catch {
    // Every pattern compiled alone; without the prefilter each simply runs on its own.
    return undefined;
  }
}

/** Calls back with [start, end) of each non-empty match; empty matches are skipped, not reported. */
export function forEachMatch(regex: RE2, text: string, onMatch: (start: number, end: number) => void): void {
  regex.lastIndex = 0;
  for (;;) {
    const match = regex.exec(text);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    if (end > start) {
      onMatch(start, end);
      continue;
    }
    // Step over one code point so an empty match cannot loop forever or split a surrogate pair.
    const unit = text.charCodeAt(end);
    const next = end + (unit >= 0xd800 && unit <= 0xdbff && end + 1 < text.length ? 2 : 1);
    if (next > text.length) break;
    regex.lastIndex = next;
  }
  regex.lastIndex = 0;
}
