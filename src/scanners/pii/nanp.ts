/**
 * A necessary condition for libphonenumber to call a plain 10-digit number valid in the US region,
 * read from libphonenumber's own metadata, so the phone recogniser can skip the library for most
 * numbers it would reject anyway: a rejected NANP number costs the library 60 µs to 1 ms (it tries
 * the type patterns of all 25 countries of calling code 1, building a RegExp for each test), this
 * check about a microsecond.
 *
 * Why it is exact (never says no where the library says yes): for a value without `+`, made only
 * of digits and ` .()-`, with 10 digits of which the first is 2-9, the library (default country
 * US) finds no international prefix (011) and no national prefix (1) to strip, so the national
 * number is those 10 digits. `isValid()` then needs, for the country it picks (one of calling code
 * 1's countries: by leading digits or type patterns, else the default US), the national number to
 * match that country's national number pattern entirely and, when it lists types, one type's
 * pattern entirely (possible lengths only narrow this further). This file tests exactly that
 * union, with the library's own patterns, anchored as its `matchesEntirely` anchors them.
 */
import { Metadata } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/** The phone number types `getNumberType` asks about (all of them). */
const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;

interface Plan {
  general: RegExp;
  /** Undefined when the country lists no types (then the general pattern decides). */
  types: RegExp | undefined;
}

let plans: Plan[] | undefined;

/** One entry per country of calling code 1, built on first use. */
function nanpPlans(): Plan[] {
  if (plans) return plans;
  const built: Plan[] = [];
  const countries = (metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes['1'] ?? [];
  for (const country of countries) {
    const m = new Metadata(metadata) as unknown as {
      selectNumberingPlan(country: string): void;
      nationalNumberPattern(): string;
      hasTypes(): boolean;
      type(type: string): { pattern(): string } | undefined;
    };
    m.selectNumberingPlan(country);
    const patterns = m.hasTypes() ? TYPES.map((type) => m.type(type)?.pattern() ?? '').filter((p) => p !== '') : undefined;
    built.push({
      general: new RegExp('^(?:' + m.nationalNumberPattern() + ')$'),
      // (a country with types but no non-empty one can call nothing valid: a pattern that never matches)
      types: patterns === undefined ? undefined : patterns.length === 0 ? /(?!)/ : new RegExp('^(?:' + patterns.map((p) => '(?:' + p + ')').join('|') + ')$'),
    });
  }
  plans = built;
  return built;
}

/**
 * The national number libphonenumber reads from `value` (region US) when it is a plain 10-digit
 * number: no `+`, only digits and ` .()-`, 10 digits, the first 2-9. Undefined otherwise.
 */
function plainNational(value: string): string | undefined {
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += value[i];
    else if (c !== 32 && c !== 46 && c !== 40 && c !== 41 && c !== 45) return undefined;
  }
  return digits.length === 10 && digits.charCodeAt(0) >= 50 ? digits : undefined;
}

/**
 * False only when libphonenumber (default country US) cannot call `value` valid: a plain 10-digit
 * number that no NANP country's patterns take. True (ask the library) for every other value.
 */
export function nanpMayBeValid(value: string): boolean {
  const national = plainNational(value);
  if (national === undefined) return true;
  for (const plan of nanpPlans()) {
    if (plan.general.test(national) && (plan.types === undefined || plan.types.test(national))) return true;
  }
  return false;
}
