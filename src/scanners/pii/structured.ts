/**
 * Recognisers for identifiers with a structure: each finds candidates with a bounded pattern
 * (no nested quantifiers, so matching stays linear) or a hand-written scan, then validates them
 * (checksums, ranges, context words) before reporting.
 */
import { isIPv6 } from 'node:net';
import type { PiiEntity } from './entities.ts';
import { before, ORDER_CTX, versionCue } from './context.ts';
import { phone } from './phone.ts';
import { countChars, FACT_AT, FACT_DIGIT, FACT_SCHEME, FACT_WWW, hasUppers, stats, textFacts } from './char-stats.ts';
import { aadhaarValid, abaValid, cardIssuer, digitsOf, ibanValid, itinValid, luhnValid, nhsValid, ninoValid, panValid, ssnValid, vatValid } from './validators.ts';

export { mayBeValidPhone } from './phone.ts';

export type Emit = (type: string, start: number, end: number, score: number) => void;

// Where `emit` writes during one findStructured call (module state, so no closure per call).
let sinkOut: PiiEntity[] = [];
let sinkTypes: ReadonlySet<string> = new Set();
let sinkPhoneThreshold = 0.5;

function emit(type: string, start: number, end: number, score: number): void {
  if (sinkTypes.has(type)) sinkOut.push({ type, start, end, score: Math.min(1, score) });
}

const CARD_CTX = /card|visa|mastercard|amex|credit|debit|cc|payment/;
const SSN_CTX = /ssn|social security|social sec/;
const ITIN_CTX = /itin|taxpayer/;
const ABA_CTX = /routing|aba|rtn|transit/;
const NHS_CTX = /nhs|health service/;
const AADHAAR_CTX = /aadhaar|aadhar|uidai|uid/;
const DOB_CTX = /born|birth|dob|d\.o\.b|birthday/;

export const RE = {
  card: /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d-])/g,
  ssn: /(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])/g,
  nine: /(?<![\d-])\d{9}(?![\d-])/g,
  ten: /(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])/g,
  twelve: /(?<![\d-])\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d-])/g,
  pan: /(?<![A-Za-z0-9])[A-Z]{5}\d{4}[A-Z](?![A-Za-z0-9])/g,
  nino: /(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?![A-Za-z0-9])/g,
  iban: /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}(?![A-Za-z0-9])/g,
  vat: /(?<![A-Za-z0-9])(?:DE|IT|BE|PL|NL|FR) ?[0-9A-Z]{9,12}(?![A-Za-z0-9])/g,
  ipv4: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)/g,
  // Starts with a hex digit or `::` (no empty first group), so most positions fail on the first character.
  ipv6: /(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}|::[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){0,6})(?![0-9A-Za-z:])/g,
  mac: /(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}(?![0-9A-Fa-f:-])/g,
  phone: /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,8}){1,4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?!\w)|(?<![\w+])\+?\d{10,13}(?!\w)/g,
  dateNum: /(?<!\d)(?:\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?!\d)/g,
  // Month-name dates all carry a 4-digit year; this pattern runs only when the text has one.
  dateName: /(?<![A-Za-z])(?:\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6},? \d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6} \d{1,2}(?:st|nd|rd|th)?,? \d{4})/gi,
  // A keyword starts a word (not "unlicensed"); countChars counts words with these starts (ID_PREFIXES).
  idContext: /(?<![A-Za-z])(?:passport|driver'?s? ?licen[cs]e|driving licen[cs]e|licen[cs]e (?:no|number|#)|\bdl\b|medical record|\bmrn\b|patient id|health plan|member id|insurance id|policy (?:no|number)|beneficiary)/gi,
  idValue: /^(?:[\s:#.-]|no\.?|number|num|is|id\b){0,8}([A-Za-z0-9][A-Za-z0-9-]{4,18}[A-Za-z0-9])/i,
  zip: /\b(?:zip(?: ?code)?|post(?:al)? ?code|postcode|plz)\b(?:[\s:#]|is\b){0,6}([0-9]{3,5}(?:[ -][0-9]{2,4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[0-9]{4} ?[A-Z]{2})(?![A-Za-z0-9])/gi,
};

/**
 * Runs `re` over `window`, a part of `text` starting at `offset` (the whole text by default), from
 * index `start` of the window on (no match of `re` starts before it), and visits each match with
 * its index in `text`. (Starting late, not slicing, keeps what a lookbehind sees.)
 */
function each(re: RegExp, text: string, visit: (text: string, match: RegExpExecArray) => void, window = text, offset = 0, start = 0): void {
  re.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = re.exec(window)) !== null) {
    if (offset !== 0) m.index += offset;
    visit(text, m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
function isLocalChar(c: number): boolean {
  return isDomainChar(c) || c === 95 || c === 43 || c === 37;
}

/** Emails: found at each `@` by scanning outwards (linear), domain needs a dot and a letter TLD. */
function emails(text: string, emit: Emit): void {
  let at = text.indexOf('@');
  let floor = 0;
  while (at !== -1) {
    let s = at;
    while (s > floor && s > at - 64 && isLocalChar(text.charCodeAt(s - 1))) s--;
    while (s < at && text.charCodeAt(s) === 46) s++;
    let e = at + 1;
    while (e < text.length && e < at + 256 && isDomainChar(text.charCodeAt(e))) e++;
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    const domain = text.slice(at + 1, e);
    const dot = domain.lastIndexOf('.');
    if (s < at && dot > 0 && /^[A-Za-z]{2,24}$/.test(domain.slice(dot + 1))) {
      emit('EMAIL_ADDRESS', s, e, 0.95);
      floor = e;
    }
    at = text.indexOf('@', at + 1);
  }
}

const URL_END = /[\s<>"'`{}|\\^\]]/;
/** URL_END's answer per ASCII unit (other units: only whitespace ends a URL, asked of URL_END). */
const URL_END_ASCII = Uint8Array.from({ length: 128 }, (_, c) => (URL_END.test(String.fromCharCode(c)) ? 1 : 0));
const URL_TRAILER = Uint8Array.from({ length: 128 }, (_, c) => ('.,;:!?)'.includes(String.fromCharCode(c)) ? 1 : 0));

/** URL_END.test(text[at]), from the table for ASCII units. */
function urlEnds(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c < 128 ? URL_END_ASCII[c] === 1 : (c === 0xa0 || c >= 0x1680) && URL_END.test(text[at]!);
}

/** The text `urls` scans (module state, so its visitor is a top-level function: no closure per call). */
let urlText = '';

/** Ends the URL starting at `s` (its host part from `from`), emits it, and returns where it ends. */
function visitUrl(s: number, from: number): number {
  const text = urlText;
  let e = from;
  while (e < text.length && !urlEnds(text, e)) e++;
  while (e > from && URL_TRAILER[text.charCodeAt(e - 1)] === 1) e--;
  if (e - s < 8) return e;
  const value = text.slice(s, e);
  const credentials = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i.test(value);
  emit(credentials ? 'URL_CREDENTIALS' : 'URL', s, e, credentials ? 0.95 : 0.85);
  return e;
}

/** URLs with a scheme or starting with www.; credentials (`user:pass@`) make it URL_CREDENTIALS. */
function urls(text: string): void {
  urlText = text;
  let floor = 0;
  let i = text.indexOf('://');
  while (i !== -1) {
    let s = i;
    while (s > floor && (isDomainChar(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 43)) s--;
    if (s < i && i >= floor) floor = visitUrl(s, i + 3);
    i = text.indexOf('://', Math.max(i + 3, floor));
  }
  let w = text.indexOf('www.');
  while (w !== -1) {
    const prev = w > 0 ? text.charCodeAt(w - 1) : 32;
    if (w >= floor && !isDomainChar(prev) && prev !== 47) floor = visitUrl(w, w + 4);
    w = text.indexOf('www.', Math.max(w + 4, floor));
  }
}

/**
 * Runs every structured recogniser over `text`. `count` fills `stats` for it (`countChars`, or the
 * same counts from the tagger's WebAssembly kernel when it already holds the text); `facts` are
 * its `textFacts` (also from the kernel's tokenizer there).
 */
export function findStructured(text: string, types: ReadonlySet<string>, out: PiiEntity[], phoneThreshold = 0.5, count: (text: string) => void = countChars, facts = textFacts(text)): void {
  sinkOut = out;
  sinkTypes = types;
  sinkPhoneThreshold = phoneThreshold;
  if (facts & FACT_AT) emails(text, emit);
  if (facts & (FACT_SCHEME | FACT_WWW)) urls(text);
  // Nothing below can match without a digit; each pattern runs only when the text has the
  // characters its shortest match needs, and the word or letters it starts with (counted in one pass).
  if (!(facts & FACT_DIGIT)) return;
  count(text);
  // IBAN, VAT and phone numbers have at least 7 digits.
  const manyDigits = stats.digits >= 7;
  // card, ssn, nine, ten, twelve, ipv4, dateNum and phone: every match starts with a digit (or a
  // + or ( right before one) and ends with one, and their lookarounds read at most one character
  // behind and two ahead; so scanning from two characters before the first digit to two after the
  // last finds exactly their matches in the whole text (long texts with few digits scan little).
  const from = Math.max(0, stats.firstDigit - 2);
  const to = Math.min(text.length, stats.lastDigit + 3);
  const digits = from === 0 && to === text.length ? text : text.slice(from, to);
  if (stats.spaced >= 13) each(RE.card, text, visitCard, digits, from);
  if (stats.ssnLike > 0) each(RE.ssn, text, visitSsn, digits, from);
  if (stats.nineLike > 0) each(RE.nine, text, visitNine, digits, from);
  if (stats.tenLike > 0) each(RE.ten, text, visitTen, digits, from);
  if (stats.twelveLike > 0) each(RE.twelve, text, visitTwelve, digits, from);
  // PAN, NINO and IBAN matches start 5, 3 and 2 characters before a digit at most; month-name dates
  // at a digit or a month word, identifier keywords at a word counted in `idWords`.
  if (stats.panLike > 0 && hasUppers(text, 6)) each(RE.pan, text, visitPan, text, 0, Math.max(0, stats.firstDigit - 5));
  if (stats.spaced >= 6 && stats.ninoLike > 0 && stats.ninoTail > 0) each(RE.nino, text, visitNino, text, 0, Math.max(0, stats.firstDigit - 3));
  if (manyDigits && stats.ibanLike > 0) each(RE.iban, text, visitIban, text, 0, Math.max(0, stats.firstDigit - 2));
  if (manyDigits && stats.vatWords > 0) each(RE.vat, text, visitVat);
  if (stats.dots >= 3 && stats.dotted >= 4) each(RE.ipv4, text, visitIpv4, digits, from);
  // (visitIpv6 reports only a match with `::` or seven colons: times like 10:30:00 need no run)
  if (stats.colons >= 2 && (stats.colons >= 7 || text.includes('::')) && colonPair(text)) each(RE.ipv6, text, visitIpv6);
  if (stats.colons >= 5 || stats.dashes >= 5) each(RE.mac, text, visitMac);
  if (stats.dates > 0) each(RE.dateNum, text, dateAt, digits, from);
  if (stats.longestRun >= 4 && stats.months > 0) each(RE.dateName, text, dateAt, text, 0, Math.min(stats.firstDigit, stats.firstMonth));
  // A phone number's main part is one run of >= 4 digits; with an extension (x, ext) its digits may
  // make up the 7 needed; and every match has a `phoneCore`.
  if ((stats.phoneLike >= 7 || (stats.phoneLike >= 4 && text.includes('x'))) && stats.phoneCore > 0 && types.has('PHONE_NUMBER')) each(RE.phone, text, visitPhone, digits, from);
  if (stats.idWords > 0) each(RE.idContext, text, contextId, text, 0, stats.firstIdWord);
  if (stats.digits >= 2 && stats.zipWords > 0) each(RE.zip, text, visitZip);
}

// One visitor per pattern (top-level functions: no closure allocated per call).

function visitCard(text: string, m: RegExpExecArray): void {
  const digits = digitsOf(m[0]);
  if (digits.length < 13 || !luhnValid(digits)) return;
  const ctx = before(text, m.index);
  const cue = CARD_CTX.test(ctx);
  // Luhn alone passes one random number in ten: without a known issuer range it needs a card word.
  // (cardValid, its Luhn and length tests passed above)
  if (!(digits.length <= 19 && cardIssuer(digits) !== undefined)) {
    if (cue) emit('CREDIT_CARD', m.index, m.index + m[0].length, 0.8);
    return;
  }
  if (!cue && ORDER_CTX.test(ctx)) return;
  emit('CREDIT_CARD', m.index, m.index + m[0].length, cue ? 0.99 : 0.9);
}

function visitSsn(text: string, m: RegExpExecArray): void {
  const digits = digitsOf(m[0]);
  const ctx = before(text, m.index);
  const separated = m[1] !== '';
  if (itinValid(digits)) {
    if (separated || ITIN_CTX.test(ctx)) emit('US_ITIN', m.index, m.index + m[0].length, ITIN_CTX.test(ctx) ? 0.95 : 0.7);
    return;
  }
  if (!ssnValid(digits)) return;
  if (SSN_CTX.test(ctx)) emit('US_SSN', m.index, m.index + m[0].length, 0.95);
  else if (separated && m[1] === '-') emit('US_SSN', m.index, m.index + m[0].length, 0.75);
}

function visitNine(text: string, m: RegExpExecArray): void {
  if (abaValid(m[0]) && ABA_CTX.test(before(text, m.index))) emit('US_BANK_ROUTING', m.index, m.index + 9, 0.9);
}

function visitTen(text: string, m: RegExpExecArray): void {
  if (nhsValid(digitsOf(m[0]))) emit('UK_NHS', m.index, m.index + m[0].length, NHS_CTX.test(before(text, m.index)) ? 0.95 : 0.4);
}

function visitTwelve(text: string, m: RegExpExecArray): void {
  if (aadhaarValid(digitsOf(m[0]))) emit('IN_AADHAAR', m.index, m.index + m[0].length, AADHAAR_CTX.test(before(text, m.index)) ? 0.95 : 0.45);
}

function visitPan(text: string, m: RegExpExecArray): void {
  if (panValid(m[0])) emit('IN_PAN', m.index, m.index + m[0].length, /\bpan\b|permanent account/.test(before(text, m.index)) ? 0.95 : 0.6);
}

function visitNino(text: string, m: RegExpExecArray): void {
  if (ninoValid(m[0])) emit('UK_NINO', m.index, m.index + m[0].length, /\bni\b|national insurance|nino/.test(before(text, m.index)) ? 0.95 : 0.7);
}

function visitIban(_text: string, m: RegExpExecArray): void {
  let value = m[0];
  // a trailing word glued by a space is not part of the IBAN: shrink until it validates (each
  // candidate validated once)
  let valid = ibanValid(value);
  while (!valid && value.length > 14) {
    const cut = value.lastIndexOf(' ');
    if (cut < 0) return;
    value = value.slice(0, cut);
    valid = ibanValid(value);
  }
  if (valid) emit('IBAN_CODE', m.index, m.index + value.length, 0.95);
}

function visitVat(_text: string, m: RegExpExecArray): void {
  if (vatValid(m[0])) emit('EU_VAT', m.index, m.index + m[0].length, 0.85);
}

function visitIpv4(text: string, m: RegExpExecArray): void {
  if (!octetsValid(m[0])) return;
  if (versionCue(before(text, m.index, 12))) return;
  emit('IP_ADDRESS', m.index, m.index + m[0].length, 0.9);
}

/**
 * True when every dot-separated part of an RE.ipv4 match (1-3 digits each) is at most 255 and has no
 * leading zero (read from character codes: no split, no closure).
 */
function octetsValid(value: string): boolean {
  let part = 0;
  let len = 0;
  let lead = 0;
  for (let k = 0; k <= value.length; k++) {
    const c = k < value.length ? value.charCodeAt(k) : 46;
    if (c === 46) {
      if (part > 255 || (len > 1 && lead === 48)) return false;
      part = len = 0;
      continue;
    }
    if (len === 0) lead = c;
    part = part * 10 + c - 48;
    len++;
  }
  return true;
}

function visitIpv6(text: string, m: RegExpExecArray): void {
  const v = m[0];
  const prev = m.index > 0 ? text.charCodeAt(m.index - 1) : 32;
  if (prev === 58 || (prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122)) return;
  if (v.length < 6 || !(v.includes('::') || colonCount(v) === 7) || !isIPv6(v)) return;
  emit('IP_ADDRESS', m.index, m.index + v.length, 0.9);
}

/**
 * True when two colons in `text` have at most four hex digits between them: every RE.ipv6 match
 * has such a pair (its first two `:` groups, or its leading `::`), so without one it cannot match.
 */
export function colonPair(text: string): boolean {
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    for (let k = at + 1; k <= at + 5 && k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c === 58) return true;
      if (!((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102))) break;
    }
  }
  return false;
}

function colonCount(value: string): number {
  let n = 0;
  for (let at = value.indexOf(':'); at !== -1; at = value.indexOf(':', at + 1)) n++;
  return n;
}

function visitMac(_text: string, m: RegExpExecArray): void {
  emit('MAC_ADDRESS', m.index, m.index + m[0].length, 0.85);
}

function visitPhone(text: string, m: RegExpExecArray): void {
  phone(text, m.index, m[0], sinkPhoneThreshold, emit);
}

function visitZip(_text: string, m: RegExpExecArray): void {
  const end = m.index + m[0].length;
  emit('ZIP_CODE', end - m[1]!.length, end, 0.8);
}

/** A date is a date of birth when a birth word precedes it. */
function dateAt(text: string, m: RegExpExecArray): void {
  const dob = DOB_CTX.test(before(text, m.index, 30));
  emit(dob ? 'DATE_OF_BIRTH' : 'DATE_TIME', m.index, m.index + m[0].length, dob ? 0.9 : 0.6);
}

function contextId(text: string, m: RegExpExecArray): void {
  const word = m[0].toLowerCase();
  const tail = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
  const id = RE.idValue.exec(tail);
  if (!id || !/[0-9]/.test(id[1]!)) return;
  const start = m.index + m[0].length + id[0].length - id[1]!.length;
  const type = word.includes('passport')
    ? 'PASSPORT'
    : /licen|dl/.test(word)
      ? 'US_DRIVER_LICENSE'
      : /medical|mrn|patient/.test(word)
        ? 'MEDICAL_RECORD_NUMBER'
        : 'HEALTH_PLAN_NUMBER';
  emit(type, start, start + id[1]!.length, 0.85);
}
