import type { ChatResponse, ContentPart, StopReason, Usage } from '../types.ts';
import { arr, num, parseJsonObject, rec, str } from '../json.ts';
import type { AnthropicMessageResponse, AnthropicStopReason } from './wire-types.ts';

/** Maps Anthropic's stop_reason to the canonical one; pause_turn and unknown values count as a plain stop. */
export function anthropicStopToCanonical(reason: unknown): StopReason {
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'refusal') return 'content_filter';
  return 'stop';
}

/** Maps a canonical stop reason to Anthropic's; a known stop sequence makes it `stop_sequence`. */
export function canonicalToAnthropicStop(reason: StopReason, stopSequence?: string): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case 'stop':
      return stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
  }
}

/** Canonical usage from an Anthropic usage object; cached input tokens count as input, as OpenAI's prompt_tokens does. */
export function anthropicUsageToCanonical(value: unknown): Usage {
  const u = rec(value);
  const input = (num(u.input_tokens) ?? 0) + (num(u.cache_creation_input_tokens) ?? 0) + (num(u.cache_read_input_tokens) ?? 0);
  return { inputTokens: input, outputTokens: num(u.output_tokens) ?? 0 };
}

/** Reads a non-streamed Anthropic message into the canonical model; thinking blocks are dropped. */
export function anthropicResponseToCanonical(body: unknown): ChatResponse {
  const root = rec(body);
  const content: ContentPart[] = [];
  for (const item of arr(root.content)) {
    const b = rec(item);
    const text = str(b.text);
    if (b.type === 'text' && text !== undefined) content.push({ type: 'text', text });
    else if (b.type === 'tool_use') {
      content.push({ type: 'tool_call', id: str(b.id) ?? '', name: str(b.name) ?? '', arguments: JSON.stringify(b.input ?? {}) });
    }
  }
  const resp: ChatResponse = {
    id: str(root.id) ?? '',
    model: str(root.model) ?? '',
    content,
    stopReason: anthropicStopToCanonical(root.stop_reason),
    usage: anthropicUsageToCanonical(root.usage),
  };
  const stopSequence = str(root.stop_sequence);
  if (stopSequence !== undefined) resp.stopSequence = stopSequence;
  return resp;
}

/** Writes a canonical response as an Anthropic message body. */
export function canonicalToAnthropicResponse(resp: ChatResponse): AnthropicMessageResponse {
  const content: AnthropicMessageResponse['content'] = [];
  for (const part of resp.content) {
    if (part.type === 'text' && part.text !== '') content.push({ type: 'text', text: part.text });
    else if (part.type === 'tool_call') {
      content.push({ type: 'tool_use', id: part.id, name: part.name, input: parseJsonObject(part.arguments) });
    }
  }
  return {
    id: resp.id,
    type: 'message',
    role: 'assistant',
    model: resp.model,
    content,
    stop_reason: canonicalToAnthropicStop(resp.stopReason, resp.stopSequence),
    stop_sequence: resp.stopSequence ?? null,
    usage: { input_tokens: resp.usage.inputTokens, output_tokens: resp.usage.outputTokens },
  };
}
