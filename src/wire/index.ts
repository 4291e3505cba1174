/** Public API of the wire layer: formats, validation, segment extraction and translation. */
export type * from './types.ts';
export type { JsonObject } from './json.ts';
export { getAtPath, setAtPath, formatJsonPath } from './json-path.ts';
export { createSseParser, formatSse, type SseEvent, type SseParser, type SseParserOptions } from './sse.ts';
export type { ValidationIssue, ValidationResult } from './validation.ts';

export { validateOpenAIChatRequest, validateOpenAIEmbeddingsRequest } from './openai/validate.ts';
export { openAIRequestSegments, openAIEmbeddingsSegments, openAIResponseSegments } from './openai/segments.ts';
export { openAIRequestToCanonical, canonicalToOpenAIRequest, openAIContentText } from './openai/request.ts';
export {
  openAIResponseToCanonical,
  canonicalToOpenAIResponse,
  openAIFinishToCanonical,
  canonicalToOpenAIFinish,
} from './openai/response.ts';
export { createOpenAIStreamDecoder, type OpenAIStreamDecoder } from './openai/stream-decoder.ts';
export {
  createOpenAIStreamEncoder,
  type OpenAIStreamEncoder,
  type OpenAIStreamEncoderOptions,
} from './openai/stream-encoder.ts';
export {
  openAIErrorBody,
  openAIStreamErrorFrame,
  openAIModelsList,
  type OpenAIErrorBody,
  type OpenAIModel,
} from './openai/errors.ts';
export type * from './openai/wire-types.ts';

export { validateAnthropicMessagesRequest } from './anthropic/validate.ts';
export { anthropicRequestSegments, anthropicResponseSegments } from './anthropic/segments.ts';
export {
  anthropicRequestToCanonical,
  canonicalToAnthropicRequest,
  anthropicText,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
} from './anthropic/request.ts';
export {
  anthropicResponseToCanonical,
  canonicalToAnthropicResponse,
  anthropicStopToCanonical,
  canonicalToAnthropicStop,
  anthropicUsageToCanonical,
} from './anthropic/response.ts';
export { createAnthropicStreamDecoder, type AnthropicStreamDecoder } from './anthropic/stream-decoder.ts';
export {
  createAnthropicStreamEncoder,
  type AnthropicStreamEncoder,
  type AnthropicStreamEncoderOptions,
} from './anthropic/stream-encoder.ts';
export {
  anthropicErrorBody,
  anthropicStreamErrorFrame,
  type AnthropicErrorBody,
  type AnthropicErrorType,
} from './anthropic/errors.ts';
export type * from './anthropic/wire-types.ts';
