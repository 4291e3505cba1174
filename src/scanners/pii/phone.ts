/**
 * The phone recogniser's scoring (its pattern runs in structured.ts): shape, context words, and
 * libphonenumber's verdict, asked only when it can move the score across the threshold and the
 * number may be valid (`mayBeValidPhone`, then nanp.ts).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { before, ORDER_CTX, versionCue } from './context.ts';
import { nanpMayBeValid } from './nanp.ts';
import type { Emit } from './structured.ts';
import { digitCount } from './validators.ts';

const PHONE_CTX = /phone|call|tel\b|mobile|cell|fax|whatsapp|sms|text me|ring/;
const PHONE_WEAK_CTX = /number|contact|reach|dial/;
const DATE_SHAPE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const DECIMAL_SHAPE = /^\d+\.\d+$/;

/** True when `value` has a space, dot, parenthesis or hyphen (as /[ .()-]/, without a regex run). */
function separated(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 32 || c === 46 || c === 40 || c === 41 || c === 45) return true;
  }
  return false;
}

/** Confidence a valid number (libphonenumber) adds to a phone-shaped candidate. */
const VALID_PHONE_BONUS = 0.3;

/**
 * False when libphonenumber cannot call `value` valid, so it need not be asked. Without a `+` the
 * region is US, whose numbering plan (NANP, shared by every +1 country) has 10-digit national
 * numbers, plus 7-digit ones starting with 3: so only 10 digits, 7 digits starting with 3, a
 * leading 1 (national prefix or country code) or 011 (international prefix) can be valid.
 * Digits after an extension mark (x, ext) do not count.
 */
export function mayBeValidPhone(value: string): boolean {
  if (value.charCodeAt(0) === 43) return true;
  let n = 0;
  let first = 0;
  let second = 0;
  let third = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 120 || c === 101 || c === 88 || c === 69) break; // x, e(xt)
    if (c < 48 || c > 57) continue;
    if (n === 0) first = c;
    else if (n === 1) second = c;
    else if (n === 2) third = c;
    n++;
  }
  if (first === 49) return true; // 1
  if (first === 48 && second === 49 && third === 49) return true; // 011
  return n === 10 || (n === 7 && first === 51); // 3
}

/**
 * Phone-shaped candidates score by shape and context words; libphonenumber (about 70 µs a call)
 * is asked only when its verdict can move the score across the threshold.
 */
export function phone(text: string, start: number, value: string, threshold: number, emit: Emit): void {
  const digits = digitCount(value);
  if (digits < 7 || digits > 15) return;
  if (DATE_SHAPE.test(value) || DECIMAL_SHAPE.test(value)) return;
  const ctx = before(text, start, 30);
  if (versionCue(ctx)) return;
  let score = separated(value) ? 0.55 : 0.35;
  const cue = PHONE_CTX.test(ctx);
  if (cue) score += 0.3;
  else if (ORDER_CTX.test(ctx)) score -= 0.4;
  else if (PHONE_WEAK_CTX.test(ctx)) score += 0.15;
  if (score < threshold && score + VALID_PHONE_BONUS >= threshold && mayBeValidPhone(value) && nanpMayBeValid(value)) {
    const parsed = parsePhoneNumberFromString(value, value.startsWith('+') ? undefined : 'US');
    if (parsed?.isValid()) score += VALID_PHONE_BONUS;
  }
  emit('PHONE_NUMBER', start, start + value.length, score);
}
