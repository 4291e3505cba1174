import type { StreamEvent } from '../types.ts';
import { formatSse } from '../sse.ts';
import { openAIStreamErrorFrame } from './errors.ts';
import { canonicalToOpenAIFinish } from './response.ts';
import type { OpenAIChatCompletionChunk, OpenAIFinishReason } from './wire-types.ts';

/** Client-facing identity of the stream; `includeUsage` mirrors the client's stream_options.include_usage. */
export interface OpenAIStreamEncoderOptions {
  id: string;
  model: string;
  includeUsage?: boolean;
  /** Unix seconds; defaults to now. */
  created?: number;
}

/** Turns canonical stream events into OpenAI SSE frames. */
export interface OpenAIStreamEncoder {
  encode(ev: StreamEvent): string;
}

/** Creates an encoder producing chat.completion.chunk frames exactly as OpenAI sends them, ending with `data: [DONE]`. */
export function createOpenAIStreamEncoder(opts: OpenAIStreamEncoderOptions): OpenAIStreamEncoder {
  const created = opts.created ?? Math.floor(Date.now() / 1000);
  const includeUsage = opts.includeUsage === true;
  const toolIndexes = new Map<number, number>();
  let started = false;
  let done = false;
  let inputTokens = 0;

  const frame = (
    delta: OpenAIChatCompletionChunk['choices'][number]['delta'],
    finish: OpenAIFinishReason | null = null,
  ): string => {
    const chunk: OpenAIChatCompletionChunk = {
      id: opts.id,
      object: 'chat.completion.chunk',
      created,
      model: opts.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (includeUsage) chunk.usage = null;
    return formatSse({ data: JSON.stringify(chunk) });
  };

  const ensureStarted = (): string => {
    if (started) return '';
    started = true;
    return frame({ role: 'assistant', content: '', refusal: null });
  };

  const toolStart = (index: number, id: string, name: string): string => {
    const wireIndex = toolIndexes.size;
    toolIndexes.set(index, wireIndex);
    return frame({ tool_calls: [{ index: wireIndex, id, type: 'function', function: { name, arguments: '' } }] });
  };

  const encode = (ev: StreamEvent): string => {
    if (done) return '';
    switch (ev.type) {
      case 'start':
        inputTokens = ev.inputTokens ?? inputTokens;
        return ensureStarted();
      case 'text_delta':
        return ev.text === '' ? ensureStarted() : ensureStarted() + frame({ content: ev.text });
      case 'tool_call_start':
        return ensureStarted() + toolStart(ev.index, ev.id, ev.name);
      case 'tool_call_delta': {
        let prefix = ensureStarted();
        if (!toolIndexes.has(ev.index)) prefix += toolStart(ev.index, `call_${opts.id}_${ev.index}`, '');
        if (ev.argumentsDelta === '') return prefix;
        const wireIndex = toolIndexes.get(ev.index) ?? 0;
        return prefix + frame({ tool_calls: [{ index: wireIndex, function: { arguments: ev.argumentsDelta } }] });
      }
      case 'stop': {
        done = true;
        let out = ensureStarted() + frame({}, canonicalToOpenAIFinish(ev.stopReason));
        if (includeUsage) {
          const prompt = ev.usage?.inputTokens ?? inputTokens;
          const completion = ev.usage?.outputTokens ?? 0;
          const usageChunk: OpenAIChatCompletionChunk = {
            id: opts.id,
            object: 'chat.completion.chunk',
            created,
            model: opts.model,
            system_fingerprint: null,
            choices: [],
            usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
          };
          out += formatSse({ data: JSON.stringify(usageChunk) });
        }
        return `${out}data: [DONE]\n\n`;
      }
      case 'error':
        done = true;
        return openAIStreamErrorFrame({ message: ev.message, type: ev.errorType ?? 'server_error' });
    }
  };

  return { encode };
}
