/** Reads evaluation JSONL (`text`, `label`, optional `category`, `source`, `categories`), naming the line and field of any bad row. */
import { readFileSync } from 'node:fs';

export interface EvalRow {
  text: string;
  label: 0 | 1;
  category: string;
  source: string;
  /** Per-category labels (moderation rows): only the keys the source labels; absent when none. */
  labels?: Record<string, 0 | 1>;
}

/** Bad data or a missing file: the CLI reports it and exits 2. */
export class EvalDataError extends Error {
  override readonly name = 'EvalDataError';
}

/** Each non-blank line of JSONL text parsed, with `file:line` for errors; a line that is not JSON is an EvalDataError. */
export function* jsonLines(text: string, where: string): Generator<{ value: unknown; at: string }> {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const at = `${where}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new EvalDataError(`${at}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    yield { value, at };
  }
}

/** Parses JSONL text; `where` names the file in errors. */
export function parseRows(text: string, where: string): EvalRow[] {
  const rows: EvalRow[] = [];
  for (const { value, at } of jsonLines(text, where)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EvalDataError(`${at}: expected a JSON object`);
    const row = value as Record<string, unknown>;
    if (typeof row.text !== 'string') throw new EvalDataError(`${at}: field "text": expected a string, got ${describe(row.text)}`);
    if (row.label !== 0 && row.label !== 1) throw new EvalDataError(`${at}: field "label": expected 0 or 1, got ${describe(row.label)}`);
    for (const key of ['category', 'source'] as const) {
      if (row[key] !== undefined && typeof row[key] !== 'string') throw new EvalDataError(`${at}: field "${key}": expected a string, got ${describe(row[key])}`);
    }
    const labels = categoryLabels(row.categories, at);
    rows.push({ text: row.text, label: row.label, category: (row.category as string | undefined) ?? 'unknown', source: (row.source as string | undefined) ?? 'unknown', ...(labels ? { labels } : {}) });
  }
  if (rows.length === 0) throw new EvalDataError(`${where}: no rows`);
  return rows;
}

/** The optional `categories` object: category name to 0|1; a missing key means "not labelled". */
function categoryLabels(value: unknown, at: string): Record<string, 0 | 1> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EvalDataError(`${at}: field "categories": expected an object of 0|1 labels, got ${describe(value)}`);
  const labels: Record<string, 0 | 1> = {};
  for (const [key, label] of Object.entries(value)) {
    if (label !== 0 && label !== 1) throw new EvalDataError(`${at}: field "categories.${key}": expected 0 or 1, got ${describe(label)}`);
    labels[key] = label;
  }
  return Object.keys(labels).length > 0 ? labels : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/** Reads and parses a JSONL file. */
export function readRows(path: string): EvalRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EvalDataError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseRows(text, path);
}
