import type { StreamEvent } from '../types.ts';
import { formatSse } from '../sse.ts';
import { anthropicStreamErrorFrame } from './errors.ts';
import { canonicalToAnthropicStop } from './response.ts';

/** Client-facing identity of the stream; `ping` adds the ping event Anthropic sends after the first block starts. */
export interface AnthropicStreamEncoderOptions {
  id: string;
  model: string;
  ping?: boolean;
  /** Input tokens for message_start when the upstream reports none up front (OpenAI reports usage only at the end). */
  inputTokens?: number;
}

/** Turns canonical stream events into Anthropic SSE frames. */
export interface AnthropicStreamEncoder {
  encode(ev: StreamEvent): string;
}

interface Block {
  wireIndex: number;
  kind: 'text' | 'tool';
}

const KNOWN_ERROR_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
]);

function toAnthropicErrorType(type: string | undefined): string {
  return type !== undefined && KNOWN_ERROR_TYPES.has(type) ? type : 'api_error';
}

function event(type: string, payload: Record<string, unknown>): string {
  return formatSse({ event: type, data: JSON.stringify({ type, ...payload }) });
}

/**
 * Creates an encoder producing Anthropic's sequence: message_start, then content_block_start/delta/stop per block,
 * message_delta and message_stop. Blocks are numbered in order; text arriving after its block closed opens a new block.
 */
export function createAnthropicStreamEncoder(opts: AnthropicStreamEncoderOptions): AnthropicStreamEncoder {
  const blocks = new Map<number, Block>();
  let open: Block | undefined;
  let nextWireIndex = 0;
  let started = false;
  let pinged = opts.ping !== true;
  let done = false;
  let inputTokens: number | undefined;

  const ensureStarted = (): string => {
    if (started) return '';
    started = true;
    return event('message_start', {
      message: {
        id: opts.id,
        type: 'message',
        role: 'assistant',
        model: opts.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens ?? opts.inputTokens ?? 0, output_tokens: 1 },
      },
    });
  };

  const closeOpen = (): string => {
    if (open === undefined) return '';
    const out = event('content_block_stop', { index: open.wireIndex });
    open = undefined;
    return out;
  };

  const openBlock = (index: number, kind: Block['kind'], contentBlock: Record<string, unknown>): string => {
    let out = closeOpen();
    const block: Block = { wireIndex: nextWireIndex++, kind };
    blocks.set(index, block);
    open = block;
    out += event('content_block_start', { index: block.wireIndex, content_block: contentBlock });
    if (!pinged) {
      pinged = true;
      out += event('ping', {});
    }
    return out;
  };

  const encode = (ev: StreamEvent): string => {
    if (done) return '';
    switch (ev.type) {
      case 'start':
        if (!started) inputTokens = ev.inputTokens;
        return ensureStarted();
      case 'text_delta': {
        let out = ensureStarted();
        const block = blocks.get(ev.index);
        if (block === undefined || block !== open) out += openBlock(ev.index, 'text', { type: 'text', text: '' });
        if (ev.text === '') return out;
        const wireIndex = blocks.get(ev.index)?.wireIndex ?? 0;
        return out + event('content_block_delta', { index: wireIndex, delta: { type: 'text_delta', text: ev.text } });
      }
      case 'tool_call_start':
        return ensureStarted() + openBlock(ev.index, 'tool', { type: 'tool_use', id: ev.id, name: ev.name, input: {} });
      case 'tool_call_delta': {
        let out = ensureStarted();
        if (!blocks.has(ev.index)) {
          out += openBlock(ev.index, 'tool', { type: 'tool_use', id: `toolu_${opts.id}_${ev.index}`, name: '', input: {} });
        }
        if (ev.argumentsDelta === '') return out;
        // A late delta for an already closed tool block still names its index, which the SDKs accumulate.
        const wireIndex = blocks.get(ev.index)?.wireIndex ?? 0;
        return out + event('content_block_delta', { index: wireIndex, delta: { type: 'input_json_delta', partial_json: ev.argumentsDelta } });
      }
      case 'stop': {
        done = true;
        const usage: Record<string, number> = { output_tokens: ev.usage?.outputTokens ?? 0 };
        // Input tokens unknown at message_start (e.g. from an OpenAI upstream) are reported here instead.
        if (ev.usage !== undefined && inputTokens === undefined) usage.input_tokens = ev.usage.inputTokens;
        return (
          ensureStarted() +
          closeOpen() +
          event('message_delta', {
            delta: { stop_reason: canonicalToAnthropicStop(ev.stopReason, ev.stopSequence), stop_sequence: ev.stopSequence ?? null },
            usage,
          }) +
          event('message_stop', {})
        );
      }
      case 'error':
        done = true;
        return anthropicStreamErrorFrame({ type: toAnthropicErrorType(ev.errorType), message: ev.message });
    }
  };

  return { encode };
}
