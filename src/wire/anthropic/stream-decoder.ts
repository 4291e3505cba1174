import type { StopReason, StreamEvent } from '../types.ts';
import { isRecord, num, rec, str } from '../json.ts';
import { anthropicStopToCanonical, anthropicUsageToCanonical } from './response.ts';

/** Turns each Anthropic SSE event (its `event` name and `data`) into canonical stream events. */
export interface AnthropicStreamDecoder {
  push(event: string | undefined, data: string): StreamEvent[];
  /** Call when the stream closes; emits the stop if message_delta came but message_stop did not. */
  end(): StreamEvent[];
}

interface BlockState {
  kind: 'text' | 'tool' | 'other';
  sawDelta: boolean;
  input?: unknown;
}

/** Creates a decoder for Messages streams; thinking and server-tool blocks are skipped, pings ignored. */
export function createAnthropicStreamDecoder(): AnthropicStreamDecoder {
  const blocks = new Map<number, BlockState>();
  let inputTokens = 0;
  let outputTokens = 0;
  let stopReason: StopReason | undefined;
  let stopSequence: string | undefined;
  let finished = false;

  const stopEvent = (): StreamEvent[] => {
    if (finished || stopReason === undefined) return [];
    finished = true;
    const ev: StreamEvent = { type: 'stop', stopReason, usage: { inputTokens, outputTokens } };
    if (stopSequence !== undefined) ev.stopSequence = stopSequence;
    return [ev];
  };

  const push = (event: string | undefined, data: string): StreamEvent[] => {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return event === 'ping' ? [] : [{ type: 'error', message: 'upstream sent a malformed stream event' }];
    }
    if (!isRecord(payload)) return [];
    const type = event ?? str(payload.type);
    const index = num(payload.index) ?? 0;
    switch (type) {
      case 'message_start': {
        const message = rec(payload.message);
        const usage = anthropicUsageToCanonical(message.usage);
        inputTokens = usage.inputTokens;
        outputTokens = usage.outputTokens;
        return [{ type: 'start', id: str(message.id) ?? '', model: str(message.model) ?? '', inputTokens }];
      }
      case 'content_block_start': {
        const block = rec(payload.content_block);
        if (block.type === 'text') {
          blocks.set(index, { kind: 'text', sawDelta: false });
          const text = str(block.text) ?? '';
          return text === '' ? [] : [{ type: 'text_delta', index, text }];
        }
        if (block.type === 'tool_use') {
          blocks.set(index, { kind: 'tool', sawDelta: false, input: block.input });
          return [{ type: 'tool_call_start', index, id: str(block.id) ?? '', name: str(block.name) ?? '' }];
        }
        blocks.set(index, { kind: 'other', sawDelta: false });
        return [];
      }
      case 'content_block_delta': {
        const delta = rec(payload.delta);
        const state = blocks.get(index);
        const text = str(delta.text);
        const partial = str(delta.partial_json);
        if (delta.type === 'text_delta' && state?.kind === 'text' && text !== undefined && text !== '') {
          return [{ type: 'text_delta', index, text }];
        }
        if (delta.type === 'input_json_delta' && state?.kind === 'tool' && partial !== undefined && partial !== '') {
          state.sawDelta = true;
          return [{ type: 'tool_call_delta', index, argumentsDelta: partial }];
        }
        return [];
      }
      case 'content_block_stop': {
        const state = blocks.get(index);
        // A tool_use whose input came whole in content_block_start still needs its arguments emitted.
        if (state?.kind === 'tool' && !state.sawDelta && isRecord(state.input) && Object.keys(state.input).length > 0) {
          return [{ type: 'tool_call_delta', index, argumentsDelta: JSON.stringify(state.input) }];
        }
        return [];
      }
      case 'message_delta': {
        const delta = rec(payload.delta);
        const usage = rec(payload.usage);
        if (delta.stop_reason !== undefined && delta.stop_reason !== null) stopReason = anthropicStopToCanonical(delta.stop_reason);
        stopSequence = str(delta.stop_sequence);
        outputTokens = num(usage.output_tokens) ?? outputTokens;
        if (num(usage.input_tokens) !== undefined) inputTokens = anthropicUsageToCanonical(usage).inputTokens;
        return [];
      }
      case 'message_stop':
        stopReason ??= 'stop';
        return stopEvent();
      case 'error': {
        const error = rec(payload.error);
        const ev: StreamEvent = { type: 'error', message: str(error.message) ?? 'upstream stream error' };
        const errorType = str(error.type);
        if (errorType !== undefined) ev.errorType = errorType;
        return [ev];
      }
      default:
        return [];
    }
  };

  return { push, end: () => stopEvent() };
}
