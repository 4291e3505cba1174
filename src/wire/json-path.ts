import type { JsonPath } from './types.ts';
import { isRecord } from './json.ts';

/** Reads the value at `path` in a JSON body, or undefined when any step is missing. */
export function getAtPath(body: unknown, path: JsonPath): unknown {
  let node: unknown = body;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(node) || key < 0 || key >= node.length) return undefined;
      node = node[key];
    } else {
      if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
      node = node[key];
    }
  }
  return node;
}

/** Writes `value` at `path` in place; throws RangeError when the parent does not exist, so edits never land silently nowhere. */
export function setAtPath(body: unknown, path: JsonPath, value: unknown): void {
  if (path.length === 0) throw new RangeError('setAtPath: cannot replace the root of a body');
  const parent = getAtPath(body, path.slice(0, -1));
  const key = path[path.length - 1];
  if (typeof key === 'number') {
    if (!Array.isArray(parent) || key < 0 || key >= parent.length) {
      throw new RangeError(`setAtPath: no array element at ${formatJsonPath(path)}`);
    }
    parent[key] = value;
    return;
  }
  if (!isRecord(parent) || key === undefined) {
    throw new RangeError(`setAtPath: no object at ${formatJsonPath(path.slice(0, -1))}`);
  }
  parent[key] = value;
}

/** Renders a path as `messages[2].content`, the form used in validation issues and logs. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
