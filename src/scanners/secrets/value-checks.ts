/**
 * Checks on a candidate secret value: Shannon entropy, character classes, and the false-positive
 * controls (placeholders, masked values, sequences, variable references, word-like values).
 * All are single passes over the value.
 */

/** Shannon entropy of `value` in bits per character (0 for empty). */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export interface CharClasses {
  lower: number;
  upper: number;
  digit: number;
  symbol: number;
  /** How many of the four classes occur. */
  kinds: number;
}

/** Counts lowercase, uppercase, digits and other printable characters. */
export function charClasses(value: string): CharClasses {
  let lower = 0, upper = 0, digit = 0, symbol = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 48 && c <= 57) digit++;
    else symbol++;
  }
  return { lower, upper, digit, symbol, kinds: (lower > 0 ? 1 : 0) + (upper > 0 ? 1 : 0) + (digit > 0 ? 1 : 0) + (symbol > 0 ? 1 : 0) };
}

/** Markers of documentation and test values, matched on the lowercase letters and digits of a value. */
const FAKE_MARKERS = ['example', 'dummy', 'placeholder', 'xxxxxx', 'changeme', 'fake', 'lookingfor', 'redacted', 'notreal', 'notareal', 'yourkey', 'yourtoken', 'yoursecret', 'yourpassword', 'yourapikey', 'insertyour', 'replaceme', 'sampletoken', 'samplekey'];

/** The lowercase letters and digits of a value. */
function squash(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** True when the value carries a documentation marker (`EXAMPLE`, `xxxxxx`, `your-key`, `changeme`, ...). */
export function hasFakeMarker(value: string): boolean {
  const squashed = squash(value);
  return FAKE_MARKERS.some((marker) => squashed.includes(marker));
}

/**
 * True when the value holds a run of `min` characters that step by +1 or -1 (`123456`, `abcdef`,
 * `76543210`): typed by hand, not generated. Random tokens of realistic length almost never do.
 */
export function hasSequence(value: string, min = 6): boolean {
  let run = 1;
  let step = 0;
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i) - value.charCodeAt(i - 1);
    if ((d === 1 || d === -1) && isAlnum(value.charCodeAt(i)) && isAlnum(value.charCodeAt(i - 1))) {
      if (d === step) run++;
      else {
        step = d;
        run = 2;
      }
      if (run >= min) return true;
    } else {
      run = 1;
      step = 0;
    }
  }
  return false;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True when one character repeats `min` times in a row (`aaaaaa`, `******`). */
export function hasRepeat(value: string, min = 6): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= min) return true;
  }
  return false;
}

const PLACEHOLDER_WORDS = new Set(['password', 'passwd', 'secret', 'token', 'apikey', 'changeme', 'none', 'null', 'nil', 'true', 'false', 'undefined', 'string', 'str', 'bool', 'int', 'required', 'optional', 'todo', 'tbd', 'empty', 'default', 'value', 'example', 'test', 'testing', 'dummy', 'sample', 'admin', 'root', 'user', 'username', 'pass', 'mypassword', 'yourpassword', 'hidden', 'masked', 'redacted', 'n/a', 'na']);

/**
 * True when a value is a reference or a placeholder, not a secret: `${VAR}`, `$VAR`, `%VAR%`,
 * `{{var}}`, `<your-key>`, `[REDACTED]`, masks (`****`, `xxxx`), encrypted wrappers (`ENC(...)`),
 * function calls (`getenv(...)`), or a placeholder word.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?$/.test(v) || /\$\{[^}]*\}/.test(v) || /^\$\(/.test(v)) return true;
  if (/^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v) || /\{\{.*\}\}/.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^\[\]]*\]$/.test(v)) return true;
  if (/\*{3,}/.test(v) || /^[xX•.\-_]{4,}$/.test(v) || /x{4,}|X{4,}/.test(v)) return true;
  if (/^(?:ENC|ENCRYPTED|encrypted|vault|secret|sealed)\(/i.test(v)) return true;
  if (/^[A-Za-z_][A-Za-z0-9_.]*\(/.test(v)) return true;
  if (PLACEHOLDER_WORDS.has(v.toLowerCase())) return true;
  return hasFakeMarker(v);
}

/** True when a value reads as words or an identifier (`upload_slot_2`, `blue_river_delta`, `Integer`, `NEVER`). */
export function isWordLike(value: string): boolean {
  if (/^[a-z]+(?:[_\-. ][a-z]+)*(?:[_\-.][0-9]+)?$/.test(value)) return true;
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(value)) return true;
  if (/^[A-Z]+(?:_[A-Z]+)*$/.test(value)) return true;
  if (/^[a-z]+(?:[A-Z][a-z]+)+$/.test(value)) return true;
  return false;
}

/** True when the value looks like a UUID (8-4-4-4-12 hex). */
export function isUuid(value: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value);
}

/**
 * Whether a password value is plausible: at least 4 characters, not a placeholder or word, and
 * either a digit, a symbol, or an irregular mix of cases.
 */
export function plausiblePassword(value: string): boolean {
  if (value.length < 4 || value.length > 200) return false;
  if (isPlaceholder(value) || isWordLike(value)) return false;
  if (/^[0-9]+$/.test(value) && value.length < 12) return false;
  if (/^0x[0-9a-fA-F]+$/.test(value)) return false;
  const classes = charClasses(value);
  if (classes.digit > 0 && classes.lower + classes.upper > 0) return true;
  if (classes.symbol > 0 && classes.lower + classes.upper > 0) return true;
  return classes.upper >= 3 && classes.lower >= 3 && value.length >= 8;
}

/**
 * Whether a token value (API key, secret, token) is plausible: long enough, not a placeholder,
 * not words, mixed characters, entropy at or above `minEntropy` bits per character.
 */
export function plausibleToken(value: string, minEntropy: number): boolean {
  if (value.length < 8 || value.length > 1000) return false;
  if (isPlaceholder(value) || isWordLike(value) || hasSequence(value) || hasRepeat(value, 5)) return false;
  if (/^[0-9]+$/.test(value)) return false;
  if (/^(?:https?|ftp|file):\/\//i.test(value) || (value.includes('/') && /\.[a-z]{2,4}$/.test(value))) return false;
  const classes = charClasses(value);
  if (classes.kinds < 2) return false;
  if (classes.lower + classes.upper === 0) return false;
  return shannonEntropy(value) >= Math.min(minEntropy, Math.log2(value.length) - 0.3);
}
