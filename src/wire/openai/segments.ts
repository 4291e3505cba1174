import type { JsonPath, Origin, Role, TextSegment } from '../types.ts';
import { arr, isRecord, rec, str } from '../json.ts';

const ROLE_MAP: Record<string, { role: Role; origin: Origin }> = {
  system: { role: 'system', origin: 'system' },
  developer: { role: 'system', origin: 'system' },
  user: { role: 'user', origin: 'user' },
  assistant: { role: 'assistant', origin: 'assistant' },
  tool: { role: 'tool', origin: 'tool' },
  function: { role: 'tool', origin: 'tool' },
};

/** Pushes the text of a string-or-parts content field; image and audio parts carry no text and are skipped. */
function pushContent(
  out: TextSegment[],
  content: unknown,
  base: { id: string; path: JsonPath; role: Role; origin: Origin; turn: number },
): void {
  if (typeof content === 'string') {
    out.push({ id: base.id, role: base.role, origin: base.origin, text: content, path: base.path, turn: base.turn });
    return;
  }
  arr(content).forEach((part, p) => {
    if (!isRecord(part)) return;
    const field = part.type === 'refusal' ? 'refusal' : 'text';
    const text = str(part[field]);
    if ((part.type === 'text' || part.type === 'refusal') && text !== undefined) {
      out.push({
        id: `${base.id}.c${p}`,
        role: base.role,
        origin: base.origin,
        text,
        path: [...base.path, p, field],
        turn: base.turn,
      });
    }
  });
}

/** Every scannable text of an OpenAI chat request, in message order. */
export function openAIRequestSegments(body: unknown): TextSegment[] {
  const out: TextSegment[] = [];
  arr(rec(body).messages).forEach((message, i) => {
    if (!isRecord(message)) return;
    const tag = ROLE_MAP[str(message.role) ?? ''];
    if (tag === undefined) return;
    const id = `m${i}`;
    pushContent(out, message.content, { id, path: ['messages', i, 'content'], ...tag, turn: i });
    const refusal = str(message.refusal);
    if (refusal !== undefined) {
      out.push({ id: `${id}.r`, ...tag, text: refusal, path: ['messages', i, 'refusal'], turn: i });
    }
    arr(message.tool_calls).forEach((call, t) => {
      const args = str(rec(rec(call).function).arguments);
      if (args === undefined) return;
      out.push({ id: `${id}.t${t}`, ...tag, text: args, path: ['messages', i, 'tool_calls', t, 'function', 'arguments'], turn: i });
    });
    const legacyArgs = str(rec(message.function_call).arguments);
    if (legacyArgs !== undefined) {
      out.push({ id: `${id}.f`, ...tag, text: legacyArgs, path: ['messages', i, 'function_call', 'arguments'], turn: i });
    }
  });
  return out;
}

/** Every input text of an OpenAI embeddings request; token-id inputs carry no text. */
export function openAIEmbeddingsSegments(body: unknown): TextSegment[] {
  const input = rec(body).input;
  if (typeof input === 'string') {
    return [{ id: 'i0', role: 'user', origin: 'user', text: input, path: ['input'], turn: 0 }];
  }
  const out: TextSegment[] = [];
  arr(input).forEach((item, k) => {
    if (typeof item === 'string') out.push({ id: `i${k}`, role: 'user', origin: 'user', text: item, path: ['input', k], turn: k });
  });
  return out;
}

/** Assistant text, refusals and tool-call arguments of a non-streamed OpenAI response; `turn` is the choice index. */
export function openAIResponseSegments(body: unknown): TextSegment[] {
  const out: TextSegment[] = [];
  arr(rec(body).choices).forEach((choice, c) => {
    const message = rec(rec(choice).message);
    const tag = { role: 'assistant' as const, origin: 'assistant' as const };
    const base = ['choices', c, 'message'];
    pushContent(out, message.content, { id: `c${c}`, path: [...base, 'content'], ...tag, turn: c });
    const refusal = str(message.refusal);
    if (refusal !== undefined) out.push({ id: `c${c}.r`, ...tag, text: refusal, path: [...base, 'refusal'], turn: c });
    arr(message.tool_calls).forEach((call, t) => {
      const args = str(rec(rec(call).function).arguments);
      if (args !== undefined) {
        out.push({ id: `c${c}.t${t}`, ...tag, text: args, path: [...base, 'tool_calls', t, 'function', 'arguments'], turn: c });
      }
    });
    const legacyArgs = str(rec(message.function_call).arguments);
    if (legacyArgs !== undefined) {
      out.push({ id: `c${c}.f`, ...tag, text: legacyArgs, path: [...base, 'function_call', 'arguments'], turn: c });
    }
  });
  return out;
}
