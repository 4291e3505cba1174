/**
 * Recognisers for identifiers with a structure: each finds candidates with a bounded pattern
 * (no nested quantifiers, so matching stays linear) or a hand-written scan, then validates them
 * (checksums, ranges, context words) before reporting.
 */
import { isIPv6 } from 'node:net';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PiiEntity } from './entities.ts';
import { aadhaarValid, abaValid, cardValid, digitsOf, ibanValid, itinValid, luhnValid, nhsValid, ninoValid, panValid, ssnValid, vatValid } from './validators.ts';

type Emit = (type: string, start: number, end: number, score: number) => void;

// Where `emit` writes during one findStructured call (module state, so no closure per call).
let sinkOut: PiiEntity[] = [];
let sinkTypes: ReadonlySet<string> = new Set();

function emit(type: string, start: number, end: number, score: number): void {
  if (sinkTypes.has(type)) sinkOut.push({ type, start, end, score: Math.min(1, score) });
}

/** Lowercased text of up to `width` characters before `start` (for context words). */
function before(text: string, start: number, width = 40): string {
  return text.slice(Math.max(0, start - width), start).toLowerCase();
}

const CARD_CTX = /card|visa|mastercard|amex|credit|debit|cc|payment/;
const SSN_CTX = /ssn|social security|social sec/;
const ITIN_CTX = /itin|taxpayer/;
const ABA_CTX = /routing|aba|rtn|transit/;
const NHS_CTX = /nhs|health service/;
const AADHAAR_CTX = /aadhaar|aadhar|uidai|uid/;
const PHONE_CTX = /phone|call|tel\b|mobile|cell|fax|whatsapp|sms|text me|ring/;
const PHONE_WEAK_CTX = /number|contact|reach|dial/;
const VERSION_CTX = /(?:\b(?:version|ver\.?|v|release|build|rev|section|chapter|figure|table)|§)\s*$/;
const DOB_CTX = /born|birth|dob|d\.o\.b|birthday/;
const ORDER_CTX = /order|invoice|ref|reference|tracking|ticket|serial|sku|#\s*$/;

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
  idContext: /passport|driver'?s? ?licen[cs]e|driving licen[cs]e|licen[cs]e (?:no|number|#)|\bdl\b|medical record|\bmrn\b|patient id|health plan|member id|insurance id|policy (?:no|number)|beneficiary/gi,
  idValue: /^(?:[\s:#.-]|no\.?|number|num|is|id\b){0,8}([A-Za-z0-9][A-Za-z0-9-]{4,18}[A-Za-z0-9])/i,
  zip: /\b(?:zip(?: ?code)?|post(?:al)? ?code|postcode|plz)\b(?:[\s:#]|is\b){0,6}([0-9]{3,5}(?:[ -][0-9]{2,4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[0-9]{4} ?[A-Z]{2})(?![A-Za-z0-9])/gi,
};

function each(re: RegExp, text: string, visit: (match: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    visit(m);
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

/** URLs with a scheme or starting with www.; credentials (`user:pass@`) make it URL_CREDENTIALS. */
function urls(text: string, emit: Emit): void {
  const visit = (s: number, from: number): number => {
    let e = from;
    while (e < text.length && !URL_END.test(text[e]!)) e++;
    while (e > from && /[.,;:!?)]/.test(text[e - 1]!)) e--;
    if (e - s < 8) return e;
    const value = text.slice(s, e);
    const credentials = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i.test(value);
    emit(credentials ? 'URL_CREDENTIALS' : 'URL', s, e, credentials ? 0.95 : 0.85);
    return e;
  };
  let floor = 0;
  let i = text.indexOf('://');
  while (i !== -1) {
    let s = i;
    while (s > floor && /[A-Za-z0-9+.-]/.test(text[s - 1]!)) s--;
    if (s < i && i >= floor) floor = visit(s, i + 3);
    i = text.indexOf('://', Math.max(i + 3, floor));
  }
  let w = text.indexOf('www.');
  while (w !== -1) {
    const prev = w > 0 ? text.charCodeAt(w - 1) : 32;
    if (w >= floor && !isDomainChar(prev) && prev !== 47) floor = visit(w, w + 4);
    w = text.indexOf('www.', Math.max(w + 4, floor));
  }
}

/** Runs every structured recogniser over `text`. */
export function findStructured(text: string, types: ReadonlySet<string>, out: PiiEntity[], phoneThreshold = 0.5): void {
  sinkOut = out;
  sinkTypes = types;
  if (text.includes('@')) emails(text, emit);
  if (text.includes('://') || text.includes('www.')) urls(text, emit);
  // Nothing below can match without a digit.
  if (!/[0-9]/.test(text)) return;
  // Cards, SSN/ITIN, routing, NHS, Aadhaar, IBAN, VAT and phone numbers all have at least 7 digits.
  const manyDigits = atLeastDigits(text, 7);
  if (manyDigits) each(RE.card, text, (m) => {
    const digits = digitsOf(m[0]);
    if (!luhnValid(digits) || digits.length < 13) return;
    const ctx = before(text, m.index);
    const cue = CARD_CTX.test(ctx);
    // Luhn alone passes one random number in ten: without a known issuer range it needs a card word.
    if (!cardValid(digits)) {
      if (cue) emit('CREDIT_CARD', m.index, m.index + m[0].length, 0.8);
      return;
    }
    if (ORDER_CTX.test(ctx) && !cue) return;
    emit('CREDIT_CARD', m.index, m.index + m[0].length, cue ? 0.99 : 0.9);
  });
  if (manyDigits) each(RE.ssn, text, (m) => {
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
  });
  if (manyDigits) each(RE.nine, text, (m) => {
    if (abaValid(m[0]) && ABA_CTX.test(before(text, m.index))) emit('US_BANK_ROUTING', m.index, m.index + 9, 0.9);
  });
  if (manyDigits) each(RE.ten, text, (m) => {
    if (nhsValid(digitsOf(m[0]))) emit('UK_NHS', m.index, m.index + m[0].length, NHS_CTX.test(before(text, m.index)) ? 0.95 : 0.4);
  });
  if (manyDigits) each(RE.twelve, text, (m) => {
    if (aadhaarValid(digitsOf(m[0]))) emit('IN_AADHAAR', m.index, m.index + m[0].length, AADHAAR_CTX.test(before(text, m.index)) ? 0.95 : 0.45);
  });
  each(RE.pan, text, (m) => {
    if (panValid(m[0])) emit('IN_PAN', m.index, m.index + m[0].length, /\bpan\b|permanent account/.test(before(text, m.index)) ? 0.95 : 0.6);
  });
  each(RE.nino, text, (m) => {
    if (ninoValid(m[0])) emit('UK_NINO', m.index, m.index + m[0].length, /\bni\b|national insurance|nino/.test(before(text, m.index)) ? 0.95 : 0.7);
  });
  if (manyDigits) each(RE.iban, text, (m) => {
    let value = m[0];
    // a trailing word glued by a space is not part of the IBAN: shrink until it validates
    while (value.length > 14 && !ibanValid(value)) {
      const cut = value.lastIndexOf(' ');
      if (cut < 0) return;
      value = value.slice(0, cut);
    }
    if (ibanValid(value)) emit('IBAN_CODE', m.index, m.index + value.length, 0.95);
  });
  if (manyDigits) each(RE.vat, text, (m) => {
    if (vatValid(m[0])) emit('EU_VAT', m.index, m.index + m[0].length, 0.85);
  });
  each(RE.ipv4, text, (m) => {
    const parts = m[0].split('.');
    if (parts.some((p) => Number(p) > 255 || (p.length > 1 && p[0] === '0'))) return;
    if (VERSION_CTX.test(before(text, m.index, 12))) return;
    emit('IP_ADDRESS', m.index, m.index + m[0].length, 0.9);
  });
  if (text.includes(':')) {
    each(RE.ipv6, text, (m) => {
      const v = m[0];
      const before = m.index > 0 ? text.charCodeAt(m.index - 1) : 32;
      if (before === 58 || (before >= 48 && before <= 57) || (before >= 65 && before <= 90) || (before >= 97 && before <= 122)) return;
      if (v.length < 6 || !isIPv6(v)) return;
      if (!(v.includes('::') || v.split(':').length === 8)) return;
      emit('IP_ADDRESS', m.index, m.index + v.length, 0.9);
    });
  }
  each(RE.mac, text, (m) => emit('MAC_ADDRESS', m.index, m.index + m[0].length, 0.85));
  each(RE.dateNum, text, (m) => dateAt(text, m));
  if (YEAR.test(text)) each(RE.dateName, text, (m) => dateAt(text, m));
  if (manyDigits && types.has('PHONE_NUMBER')) each(RE.phone, text, (m) => phone(text, m.index, m[0], phoneThreshold, emit));
  each(RE.idContext, text, (m) => contextId(text, m, emit));
  each(RE.zip, text, (m) => {
    const end = m.index + m[0].length;
    emit('ZIP_CODE', end - m[1]!.length, end, 0.8);
  });
}

const YEAR = /\d{4}/;

/** True when `text` has at least `count` ASCII digits (stops counting there). */
function atLeastDigits(text: string, count: number): boolean {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++seen >= count) return true;
  }
  return false;
}

/** A date is a date of birth when a birth word precedes it. */
function dateAt(text: string, m: RegExpExecArray): void {
  const dob = DOB_CTX.test(before(text, m.index, 30));
  emit(dob ? 'DATE_OF_BIRTH' : 'DATE_TIME', m.index, m.index + m[0].length, dob ? 0.9 : 0.6);
}
const DATE_SHAPE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const DECIMAL_SHAPE = /^\d+\.\d+$/;

/** Confidence a valid number (libphonenumber) adds to a phone-shaped candidate. */
const VALID_PHONE_BONUS = 0.3;

/**
 * Phone-shaped candidates score by shape and context words; libphonenumber (about 70 µs a call)
 * is asked only when its verdict can move the score across the threshold.
 */
function phone(text: string, start: number, value: string, threshold: number, emit: Emit): void {
  const digits = digitsOf(value);
  if (digits.length < 7 || digits.length > 15) return;
  if (DATE_SHAPE.test(value) || DECIMAL_SHAPE.test(value)) return;
  const ctx = before(text, start, 30);
  if (VERSION_CTX.test(ctx)) return;
  let score = /[ .()-]/.test(value) ? 0.55 : 0.35;
  const cue = PHONE_CTX.test(ctx);
  if (cue) score += 0.3;
  else if (ORDER_CTX.test(ctx)) score -= 0.4;
  else if (PHONE_WEAK_CTX.test(ctx)) score += 0.15;
  if (score < threshold && score + VALID_PHONE_BONUS >= threshold) {
    const parsed = parsePhoneNumberFromString(value, value.startsWith('+') ? undefined : 'US');
    if (parsed?.isValid()) score += VALID_PHONE_BONUS;
  }
  emit('PHONE_NUMBER', start, start + value.length, score);
}

function contextId(text: string, m: RegExpExecArray, emit: Emit): void {
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
