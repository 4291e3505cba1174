import type { StopReason, StreamEvent, Usage } from '../types.ts';
import { arr, isRecord, num, rec, str } from '../json.ts';
import { openAIFinishToCanonical } from './response.ts';

/** Turns the `data` of each OpenAI SSE event into canonical stream events. */
export interface OpenAIStreamDecoder {
  push(data: string): StreamEvent[];
  /** Call when the stream closes; emits a pending stop if `[DONE]` never came. */
  end(): StreamEvent[];
}

/**
 * Creates a decoder for chat.completion.chunk streams (first choice only). The stop event is held until the
 * usage chunk or `[DONE]` arrives, since OpenAI sends usage after the finish_reason chunk.
 */
export function createOpenAIStreamDecoder(): OpenAIStreamDecoder {
  let started = false;
  let finished = false;
  let nextIndex = 0;
  let textIndex: number | undefined;
  const toolIndexes = new Map<number, number>();
  let pendingStop: StopReason | undefined;
  let usage: Usage | undefined;

  const stopEvent = (): StreamEvent[] => {
    if (finished || pendingStop === undefined) return [];
    finished = true;
    const ev: StreamEvent = { type: 'stop', stopReason: pendingStop };
    if (usage !== undefined) ev.usage = usage;
    return [ev];
  };

  const push = (data: string): StreamEvent[] => {
    if (data.trim() === '[DONE]') return stopEvent();
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return [{ type: 'error', message: 'upstream sent a malformed stream chunk' }];
    }
    if (!isRecord(chunk)) return [];
    if (isRecord(chunk.error)) {
      const ev: StreamEvent = { type: 'error', message: str(chunk.error.message) ?? 'upstream stream error' };
      const errorType = str(chunk.error.type);
      if (errorType !== undefined) ev.errorType = errorType;
      return [ev];
    }
    const out: StreamEvent[] = [];
    if (!started) {
      started = true;
      out.push({ type: 'start', id: str(chunk.id) ?? '', model: str(chunk.model) ?? '' });
    }
    for (const rawChoice of arr(chunk.choices)) {
      const choice = rec(rawChoice);
      if ((num(choice.index) ?? 0) !== 0) continue;
      const delta = rec(choice.delta);
      for (const text of [str(delta.content), str(delta.refusal)]) {
        if (text === undefined || text === '') continue;
        if (textIndex === undefined) textIndex = nextIndex++;
        out.push({ type: 'text_delta', index: textIndex, text });
      }
      arr(delta.tool_calls).forEach((rawCall, position) => {
        const call = rec(rawCall);
        const wireIndex = num(call.index) ?? position;
        const fn = rec(call.function);
        let index = toolIndexes.get(wireIndex);
        if (index === undefined) {
          index = nextIndex++;
          toolIndexes.set(wireIndex, index);
          // Text after a tool call is a new block, keeping canonical blocks in order.
          textIndex = undefined;
          out.push({ type: 'tool_call_start', index, id: str(call.id) ?? `call_${wireIndex}`, name: str(fn.name) ?? '' });
        }
        const args = str(fn.arguments);
        if (args !== undefined && args !== '') out.push({ type: 'tool_call_delta', index, argumentsDelta: args });
      });
      if (typeof choice.finish_reason === 'string') pendingStop = openAIFinishToCanonical(choice.finish_reason);
    }
    if (isRecord(chunk.usage)) {
      const prompt = num(chunk.usage.prompt_tokens) ?? 0;
      usage = { inputTokens: prompt, outputTokens: num(chunk.usage.completion_tokens) ?? 0 };
      out.push(...stopEvent());
    }
    return out;
  };

  return { push, end: () => stopEvent() };
}
