/**
 * Checksums and range rules for identifiers: a candidate that fails here is not reported.
 * Every function takes the value with separators already removed unless it says otherwise.
 */

/** Digits of `value` (other characters dropped): `value` itself when it is all digits. */
export function digitsOf(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return value.replace(NON_DIGITS, '');
  }
  return value;
}
const NON_DIGITS = /[^0-9]/g;

/** How many digits 0-9 `value` has (`digitsOf(value).length`, without building it). */
export function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Card brand from its issuer prefix (IIN) and length, or undefined when no known range fits. */
export function cardIssuer(digits: string): string | undefined {
  const n = digits.length;
  // The numbers the first 2, 3, 4 and 6 digits make (Number(digits.slice(0, k)), without the strings).
  let p2 = 0, p3 = 0, p4 = 0, p6 = 0;
  for (let k = 0, v = 0; k < 6 && k < n; k++) {
    const d = digits.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return cardIssuerOf(digits);
    v = v * 10 + d;
    if (k < 2) p2 = v;
    if (k < 3) p3 = v;
    if (k < 4) p4 = v;
    p6 = v;
  }
  return issuerOf(digits, n, p2, p3, p4, p6);
}

/** cardIssuer with the prefixes read by Number() (for values that are not all digits; tests compare both). */
export function cardIssuerOf(digits: string): string | undefined {
  return issuerOf(digits, digits.length, Number(digits.slice(0, 2)), Number(digits.slice(0, 3)), Number(digits.slice(0, 4)), Number(digits.slice(0, 6)));
}

function issuerOf(digits: string, n: number, p2: number, p3: number, p4: number, p6: number): string | undefined {
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19) return 'discover';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if ((p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) && n >= 14 && n <= 19) return 'diners';
  if ((p4 === 2131 || p4 === 1800) && n === 15) return 'jcb';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
  return undefined;
}

/** A payment card number: known issuer range, valid length and Luhn. */
export function cardValid(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && luhnValid(digits) && cardIssuer(digits) !== undefined;
}

/** IBAN lengths by country (ISO 13616 registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29,
  ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20,
  LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** IBAN: known country, that country's length, mod-97 == 1. Spaces are ignored, case is folded. */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55;
    remainder = v > 9 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
  }
  return remainder === 1;
}

/** US SSN (9 digits): area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function ssnValid(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  return !/^(\d)\1{8}$/.test(digits) && digits !== '123456789';
}

/** US ITIN (9 digits): starts with 9, group 50-65, 70-88, 90-92 or 94-99. */
export function itinValid(digits: string): boolean {
  if (!/^9[0-9]{8}$/.test(digits)) return false;
  const g = Number(digits.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** US ABA routing number: 9 digits, weights 3-7-1, valid Federal Reserve prefix. */
export function abaValid(digits: string): boolean {
  if (!/^[0-9]{9}$/.test(digits)) return false;
  const prefix = Number(digits.slice(0, 2));
  if (!((prefix <= 12) || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80)) return false;
  if (digits === '000000000') return false;
  const w = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * w[i % 3]!;
  return sum % 10 === 0;
}

/** UK NHS number: 10 digits, mod-11 check digit (weights 10..2; 10 means invalid). */
export function nhsValid(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits.charCodeAt(9) - 48;
}

/** UK National Insurance number (spaces removed): two prefix letters, six digits, suffix A-D. */
export function ninoValid(value: string): boolean {
  const v = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$/.test(v)) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(v.slice(0, 2));
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff check over a digit string (the last digit is the check digit). */
export function verhoeffValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![d]!]!;
  }
  return c === 0;
}

/** Indian Aadhaar: 12 digits, first digit 2-9, Verhoeff check. */
export function aadhaarValid(digits: string): boolean {
  return /^[2-9][0-9]{11}$/.test(digits) && verhoeffValid(digits);
}

/** Indian PAN: 5 letters (4th = holder type), 4 digits, 1 letter. */
export function panValid(value: string): boolean {
  return /^[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]$/.test(value);
}

function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  return sum;
}

/**
 * EU VAT ids for the member states with a simple published checksum (DE, IT, NL, BE, PL, ES is
 * skipped: its mixed letter rules need more context). `value` includes the country prefix.
 */
export function vatValid(value: string): boolean {
  const v = value.replace(/[ .-]/g, '').toUpperCase();
  const country = v.slice(0, 2);
  const body = v.slice(2);
  switch (country) {
    case 'DE': {
      if (!/^[1-9][0-9]{8}$/.test(body)) return false;
      let product = 10;
      for (let i = 0; i < 8; i++) {
        let sum = (body.charCodeAt(i) - 48 + product) % 10;
        if (sum === 0) sum = 10;
        product = (2 * sum) % 11;
      }
      const check = 11 - product === 10 ? 0 : 11 - product;
      return check === body.charCodeAt(8) - 48;
    }
    case 'IT':
      return /^[0-9]{11}$/.test(body) && luhnValid(body);
    case 'BE':
      return /^[01][0-9]{9}$/.test(body) && 97 - (Number(body.slice(0, 8)) % 97) === Number(body.slice(8));
    case 'PL': {
      if (!/^[0-9]{10}$/.test(body)) return false;
      const check = weightedSum(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
      return check !== 10 && check === body.charCodeAt(9) - 48;
    }
    case 'NL': {
      if (!/^[0-9]{9}B[0-9]{2}$/.test(body)) return false;
      const check = weightedSum(body, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
      return check !== 10 && check === body.charCodeAt(8) - 48;
    }
    case 'FR': {
      if (!/^[0-9]{2}[0-9]{9}$/.test(body)) return false;
      const siren = Number(body.slice(2));
      return Number(body.slice(0, 2)) === (12 + 3 * (siren % 97)) % 97;
    }
    default:
      return false;
  }
}
