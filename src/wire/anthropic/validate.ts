import { z } from 'zod';
import {
  optionalNumber,
  requiredString,
  runValidation,
  stringOrArray,
  tagged,
  taggedUnion,
  type ValidationResult,
} from '../validation.ts';

const source = z.looseObject({ type: requiredString('source.type') }, { error: 'expected source to be an object' });
const textBlock = tagged('type', 'text', { text: requiredString('text') });
const imageBlock = tagged('type', 'image', { source });
const documentBlock = tagged('type', 'document', { source });
const searchResultBlock = tagged('type', 'search_result', {
  content: z.array(textBlock, { error: 'expected content to be an array of text blocks' }),
});

const toolResultContent = stringOrArray(
  z.array(taggedUnion('type', [textBlock, imageBlock, documentBlock, searchResultBlock], 'content block')),
  'expected content to be a string or an array of content blocks',
);

// Server-side tool blocks are echoed back by clients verbatim; they are accepted but carry no client text.
const passThrough = [
  'redacted_thinking',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'mcp_tool_use',
  'container_upload',
].map((type) => tagged('type', type));

const block = taggedUnion(
  'type',
  [
    textBlock,
    imageBlock,
    documentBlock,
    searchResultBlock,
    tagged('type', 'tool_use', {
      id: requiredString('id'),
      name: requiredString('name'),
      input: z.looseObject({}, { error: 'expected input to be an object' }),
    }),
    tagged('type', 'tool_result', {
      tool_use_id: requiredString('tool_use_id'),
      content: toolResultContent.optional(),
      is_error: z.boolean({ error: 'expected is_error to be a boolean' }).optional(),
    }),
    tagged('type', 'mcp_tool_result', { content: toolResultContent.optional() }),
    tagged('type', 'thinking', { thinking: requiredString('thinking') }),
    ...passThrough,
  ],
  'content block',
);

const message = z.looseObject(
  {
    role: z.enum(['user', 'assistant'], { error: 'expected role to be "user" or "assistant"' }),
    content: stringOrArray(z.array(block), 'expected content to be a string or an array of content blocks'),
  },
  { error: 'expected a message object' },
);

const messagesRequest = z.looseObject({
  model: requiredString('model'),
  max_tokens: z.number({ error: 'expected max_tokens to be a number' }).int({ error: 'expected max_tokens to be an integer' }).min(1, { error: 'expected max_tokens to be at least 1' }),
  messages: z
    .array(message, { error: 'expected an array of messages' })
    .min(1, { error: 'expected at least one message' }),
  system: stringOrArray(
    z.array(taggedUnion('type', [textBlock], 'system block')),
    'expected system to be a string or an array of text blocks',
  ).optional(),
  stream: z.boolean({ error: 'expected stream to be a boolean' }).optional(),
  stop_sequences: z.array(z.string(), { error: 'expected stop_sequences to be an array of strings' }).optional(),
  temperature: optionalNumber('temperature'),
  top_p: optionalNumber('top_p'),
  tools: z.array(z.looseObject({ name: requiredString('tool name') }), { error: 'expected tools to be an array' }).optional(),
  tool_choice: z.looseObject({ type: requiredString('tool_choice.type') }, { error: 'expected tool_choice to be an object' }).optional(),
});

/** Checks an incoming /v1/messages body; unknown fields are allowed and left untouched. */
export function validateAnthropicMessagesRequest(body: unknown): ValidationResult {
  return runValidation(messagesRequest, body);
}
