import type { ChatResponse, ContentPart, StopReason } from '../types.ts';
import { arr, num, rec, str } from '../json.ts';
import type { OpenAIChatCompletion, OpenAIFinishReason, OpenAIToolCall } from './wire-types.ts';
import { openAIContentText } from './request.ts';

/** Maps an OpenAI finish_reason to the canonical stop reason; unknown values count as a plain stop. */
export function openAIFinishToCanonical(reason: unknown): StopReason {
  if (reason === 'length') return 'length';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_calls';
  if (reason === 'content_filter') return 'content_filter';
  return 'stop';
}

/** Maps a canonical stop reason to OpenAI's finish_reason. */
export function canonicalToOpenAIFinish(reason: StopReason): OpenAIFinishReason {
  return reason;
}

/** Reads the first choice of a non-streamed OpenAI chat completion into the canonical model. */
export function openAIResponseToCanonical(body: unknown): ChatResponse {
  const root = rec(body);
  const choice = rec(arr(root.choices)[0]);
  const message = rec(choice.message);
  const content: ContentPart[] = [];
  const text = openAIContentText(message.content);
  if (text !== '') content.push({ type: 'text', text });
  const refusal = str(message.refusal);
  if (refusal !== undefined && refusal !== '') content.push({ type: 'text', text: refusal });
  for (const call of arr(message.tool_calls)) {
    const c = rec(call);
    const fn = rec(c.function);
    content.push({ type: 'tool_call', id: str(c.id) ?? '', name: str(fn.name) ?? '', arguments: str(fn.arguments) ?? '' });
  }
  const usage = rec(root.usage);
  return {
    id: str(root.id) ?? '',
    model: str(root.model) ?? '',
    content,
    stopReason: openAIFinishToCanonical(choice.finish_reason),
    usage: { inputTokens: num(usage.prompt_tokens) ?? 0, outputTokens: num(usage.completion_tokens) ?? 0 },
  };
}

/** Writes a canonical response as an OpenAI chat.completion body; `created` defaults to now (Unix seconds). */
export function canonicalToOpenAIResponse(resp: ChatResponse, opts: { created?: number } = {}): OpenAIChatCompletion {
  const text = resp.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const calls: OpenAIToolCall[] = resp.content.flatMap((p) =>
    p.type === 'tool_call' ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.arguments } }] : [],
  );
  const message: OpenAIChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
    annotations: [],
  };
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: resp.id,
    object: 'chat.completion',
    created: opts.created ?? Math.floor(Date.now() / 1000),
    model: resp.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: canonicalToOpenAIFinish(resp.stopReason) }],
    usage: {
      prompt_tokens: resp.usage.inputTokens,
      completion_tokens: resp.usage.outputTokens,
      total_tokens: resp.usage.inputTokens + resp.usage.outputTokens,
    },
    system_fingerprint: null,
  };
}
