import { z } from 'zod';
import { formatJsonPath } from './json-path.ts';
import { isRecord } from './json.ts';

/** One problem with a client body: where (`messages[2].content`) and what was expected. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Outcome of validating a client body; bodies are never rewritten by validation. */
export type ValidationResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

/** Runs a schema over a body and flattens zod issues into wire-friendly ones. */
export function runValidation(schema: z.ZodType, body: unknown): ValidationResult {
  if (!isRecord(body)) return { ok: false, issues: [{ path: '', message: 'expected a JSON object body' }] };
  const result = schema.safeParse(body);
  if (result.success) return { ok: true };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
  };
}

/** Accepts a string, or an array checked by `array` with its issues reported at their own paths (zod unions would hide them). */
export function stringOrArray(array: z.ZodType, message: string, opts: { nullable?: boolean } = {}): z.ZodType {
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value === 'string') return;
    if (value === null && opts.nullable === true) return;
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message });
      return;
    }
    const parsed = array.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.filter(isPathKey) });
      }
    }
  });
}

function isPathKey(key: PropertyKey): key is string | number {
  return typeof key === 'string' || typeof key === 'number';
}

/** A union of typed objects keyed by `field`, with one readable message for unknown kinds. */
export function taggedUnion(
  field: string,
  variants: readonly [z.ZodObject, ...z.ZodObject[]],
  kind: string,
): z.ZodType {
  const known = variants.map((v) => String(v.shape[field] instanceof z.ZodLiteral ? v.shape[field].value : '?'));
  return z.discriminatedUnion(field, variants as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      if (!isRecord(issue.input)) return `expected a ${kind} object`;
      const got = issue.input[field];
      return `unsupported ${kind} ${field} ${JSON.stringify(got) ?? 'undefined'}; expected one of ${known.join(', ')}`;
    },
  });
}

/** A loose object with one literal tag and the given required fields. */
export function tagged(field: string, value: string, shape: z.ZodRawShape = {}): z.ZodObject {
  return z.looseObject({ [field]: z.literal(value), ...shape });
}

/** Shorthand for a required string with an "expected" message. */
export function requiredString(what: string): z.ZodString {
  return z.string({ error: `expected ${what} to be a string` });
}

/** Shorthand for an optional, nullable number with an "expected" message. */
export function optionalNumber(what: string): z.ZodType {
  return z.number({ error: `expected ${what} to be a number` }).nullable().optional();
}
