/** Narrow JSON readers shared by the wire modules; wire bodies arrive as `unknown`. */

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object, the only shape a wire body or block can have. */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value if it is a finite number, else undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value if it is an array, else an empty one, so loops over optional arrays stay short. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is an object, else an empty one. */
export function rec(value: unknown): JsonObject {
  return isRecord(value) ? value : {};
}

/** Parses JSON tool arguments, falling back to wrapping the raw text so nothing is lost. */
export function parseJsonObject(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { _raw: text };
  }
}
