import * as wire from '../wire/index.ts';
import type { ChatRequest, ChatResponse, StreamEvent, TextSegment, WireFormat } from '../wire/types.ts';

/** Everything format-specific about a chat route, so one pipeline serves both formats. */
export interface Dialect {
  format: WireFormat;
  validate(body: unknown): { ok: true } | { ok: false; issues: { path: string; message: string }[] };
  requestSegments(body: Record<string, unknown>): TextSegment[];
  responseSegments(body: Record<string, unknown>): TextSegment[];
  toCanonicalRequest(body: Record<string, unknown>): ChatRequest;
  fromCanonicalRequest(request: ChatRequest): Record<string, unknown>;
  toCanonicalResponse(body: Record<string, unknown>): ChatResponse;
  fromCanonicalResponse(response: ChatResponse): Record<string, unknown>;
  createDecoder(): { push(event: string | undefined, data: string): StreamEvent[]; end(): StreamEvent[] };
  createEncoder(options: { id: string; model: string; includeUsage: boolean }): { encode(event: StreamEvent): string };
}

const openai: Dialect = {
  format: 'openai',
  validate: wire.validateOpenAIChatRequest,
  requestSegments: (body) => wire.openAIRequestSegments(body),
  responseSegments: (body) => wire.openAIResponseSegments(body),
  toCanonicalRequest: (body) => wire.openAIRequestToCanonical(body),
  fromCanonicalRequest: (request) => wire.canonicalToOpenAIRequest(request) as unknown as Record<string, unknown>,
  toCanonicalResponse: (body) => wire.openAIResponseToCanonical(body),
  fromCanonicalResponse: (response) => wire.canonicalToOpenAIResponse(response) as unknown as Record<string, unknown>,
  createDecoder() {
    const decoder = wire.createOpenAIStreamDecoder();
    return { push: (_event, data) => decoder.push(data), end: () => decoder.end() };
  },
  createEncoder: (options) => wire.createOpenAIStreamEncoder(options),
};

const anthropic: Dialect = {
  format: 'anthropic',
  validate: wire.validateAnthropicMessagesRequest,
  requestSegments: (body) => wire.anthropicRequestSegments(body),
  responseSegments: (body) => wire.anthropicResponseSegments(body),
  toCanonicalRequest: (body) => wire.anthropicRequestToCanonical(body),
  fromCanonicalRequest: (request) => wire.canonicalToAnthropicRequest(request) as unknown as Record<string, unknown>,
  toCanonicalResponse: (body) => wire.anthropicResponseToCanonical(body),
  fromCanonicalResponse: (response) => wire.canonicalToAnthropicResponse(response) as unknown as Record<string, unknown>,
  createDecoder() {
    const decoder = wire.createAnthropicStreamDecoder();
    return { push: (event, data) => decoder.push(event, data), end: () => decoder.end() };
  },
  createEncoder: ({ id, model }) => wire.createAnthropicStreamEncoder({ id, model }),
};

/** The dialect of each wire format. */
export const dialects: Record<WireFormat, Dialect> = { openai, anthropic };
