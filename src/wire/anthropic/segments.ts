import type { JsonPath, Origin, Role, TextSegment } from '../types.ts';
import { arr, isRecord, rec, str } from '../json.ts';

interface Tag {
  role: Role;
  origin: Origin;
  turn: number;
}

function seg(out: TextSegment[], id: string, tag: Tag, text: string, path: JsonPath, readOnly = false): void {
  const s: TextSegment = { id, role: tag.role, origin: tag.origin, text, path, turn: tag.turn };
  if (readOnly) s.readOnly = true;
  out.push(s);
}

/** Text blocks of a string-or-blocks field (tool_result content, search_result content). */
function pushTextish(out: TextSegment[], id: string, tag: Tag, value: unknown, path: JsonPath): void {
  if (typeof value === 'string') {
    seg(out, id, tag, value, path);
    return;
  }
  arr(value).forEach((item, k) => {
    if (!isRecord(item)) return;
    const text = str(item.text);
    if (item.type === 'text' && text !== undefined) seg(out, `${id}.c${k}`, tag, text, [...path, k, 'text']);
    else if (item.type === 'document') pushDocument(out, `${id}.c${k}`, { ...tag, origin: 'document' }, item, [...path, k]);
    else if (item.type === 'search_result') pushTextish(out, `${id}.c${k}`, { ...tag, origin: 'document' }, item.content, [...path, k, 'content']);
  });
}

/** Plain-text documents (text or content sources) and their context; PDFs and URLs carry no text here. */
function pushDocument(out: TextSegment[], id: string, tag: Tag, block: Record<string, unknown>, path: JsonPath): void {
  const source = rec(block.source);
  const data = str(source.data);
  if (source.type === 'text' && data !== undefined) seg(out, id, tag, data, [...path, 'source', 'data']);
  else if (source.type === 'content') pushTextish(out, id, tag, source.content, [...path, 'source', 'content']);
  const title = str(block.title);
  if (title !== undefined) seg(out, `${id}.title`, tag, title, [...path, 'title']);
  const context = str(block.context);
  if (context !== undefined) seg(out, `${id}.ctx`, tag, context, [...path, 'context']);
}

/** Scannable text of one content block; `tag` is the message's role. */
function pushBlock(out: TextSegment[], id: string, tag: Tag, block: unknown, path: JsonPath): void {
  if (!isRecord(block)) return;
  switch (block.type) {
    case 'text': {
      const text = str(block.text);
      if (text !== undefined) seg(out, id, tag, text, [...path, 'text']);
      return;
    }
    case 'tool_result':
    case 'mcp_tool_result':
      pushTextish(out, id, { ...tag, role: 'tool', origin: 'tool' }, block.content, [...path, 'content']);
      return;
    case 'document':
      pushDocument(out, id, { ...tag, origin: 'document' }, block, path);
      return;
    case 'search_result': {
      const title = str(block.title);
      if (title !== undefined) seg(out, `${id}.title`, { ...tag, origin: 'document' }, title, [...path, 'title']);
      pushTextish(out, id, { ...tag, origin: 'document' }, block.content, [...path, 'content']);
      return;
    }
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      if (block.input !== undefined) {
        seg(out, id, { ...tag, role: 'assistant', origin: 'assistant' }, JSON.stringify(block.input), [...path, 'input'], true);
      }
      return;
    default:
      return;
  }
}

/** Every scannable text of an Anthropic messages request: system, then messages in order. */
export function anthropicRequestSegments(body: unknown): TextSegment[] {
  const out: TextSegment[] = [];
  const root = rec(body);
  const systemTag: Tag = { role: 'system', origin: 'system', turn: -1 };
  if (typeof root.system === 'string') seg(out, 'system', systemTag, root.system, ['system']);
  else {
    arr(root.system).forEach((block, j) => {
      const text = str(rec(block).text);
      if (text !== undefined) seg(out, `system.c${j}`, systemTag, text, ['system', j, 'text']);
    });
  }
  arr(root.messages).forEach((message, i) => {
    if (!isRecord(message)) return;
    const role: Role = message.role === 'assistant' ? 'assistant' : 'user';
    const tag: Tag = { role, origin: role, turn: i };
    if (typeof message.content === 'string') {
      seg(out, `m${i}`, tag, message.content, ['messages', i, 'content']);
      return;
    }
    arr(message.content).forEach((block, j) => pushBlock(out, `m${i}.c${j}`, tag, block, ['messages', i, 'content', j]));
  });
  return out;
}

/** Assistant text and tool_use inputs of a non-streamed Anthropic response. */
export function anthropicResponseSegments(body: unknown): TextSegment[] {
  const out: TextSegment[] = [];
  const tag: Tag = { role: 'assistant', origin: 'assistant', turn: 0 };
  arr(rec(body).content).forEach((block, j) => pushBlock(out, `c${j}`, tag, block, ['content', j]));
  return out;
}
