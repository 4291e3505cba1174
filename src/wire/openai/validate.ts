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

const textPart = tagged('type', 'text', { text: requiredString('text') });
const imagePart = tagged('type', 'image_url', {
  image_url: z.looseObject({ url: requiredString('image_url.url') }, { error: 'expected image_url to be an object with a url' }),
});
const audioPart = tagged('type', 'input_audio', { input_audio: z.looseObject({}) });
const filePart = tagged('type', 'file', { file: z.looseObject({}) });
const refusalPart = tagged('type', 'refusal', { refusal: requiredString('refusal') });

// Only part types the gateway knows how to scan are accepted, so no text slips past unscanned.
const textOnlyContent = stringOrArray(
  z.array(taggedUnion('type', [textPart], 'content part')),
  'expected content to be a string or an array of text parts',
);
const userContent = stringOrArray(
  z.array(taggedUnion('type', [textPart, imagePart, audioPart, filePart], 'content part')),
  'expected content to be a string or an array of content parts',
);
const assistantContent = stringOrArray(
  z.array(taggedUnion('type', [textPart, refusalPart], 'content part')),
  'expected content to be a string, null or an array of text parts',
  { nullable: true },
);

const toolCall = z.looseObject(
  {
    id: requiredString('tool call id'),
    type: z.literal('function', { error: 'expected tool call type "function"' }).optional(),
    function: z.looseObject(
      { name: requiredString('function.name'), arguments: requiredString('function.arguments') },
      { error: 'expected function to be an object with name and arguments' },
    ),
  },
  { error: 'expected a tool call object' },
);

const message = taggedUnion(
  'role',
  [
    tagged('role', 'system', { content: textOnlyContent }),
    tagged('role', 'developer', { content: textOnlyContent }),
    tagged('role', 'user', { content: userContent }),
    tagged('role', 'assistant', {
      content: assistantContent.optional(),
      tool_calls: z.array(toolCall, { error: 'expected tool_calls to be an array' }).optional(),
      function_call: z
        .looseObject({ name: requiredString('function_call.name'), arguments: requiredString('function_call.arguments') })
        .nullable()
        .optional(),
    }),
    tagged('role', 'tool', { content: textOnlyContent, tool_call_id: requiredString('tool_call_id') }),
    tagged('role', 'function', {
      name: requiredString('name'),
      content: z.string({ error: 'expected content to be a string or null' }).nullable(),
    }),
  ],
  'message',
);

const tool = z.looseObject(
  {
    type: requiredString('tool type'),
    function: z
      .looseObject({
        name: requiredString('function.name'),
        parameters: z.looseObject({}, { error: 'expected parameters to be a JSON Schema object' }).optional(),
      })
      .optional(),
  },
  { error: 'expected a tool object' },
);

const chatRequest = z.looseObject({
  model: requiredString('model'),
  messages: z
    .array(message, { error: 'expected an array of messages' })
    .min(1, { error: 'expected at least one message' }),
  stream: z.boolean({ error: 'expected stream to be a boolean' }).nullable().optional(),
  stream_options: z.looseObject({}, { error: 'expected stream_options to be an object' }).nullable().optional(),
  tools: z.array(tool, { error: 'expected tools to be an array' }).optional(),
  tool_choice: z
    .union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string() })], {
      error: 'expected tool_choice to be "none", "auto", "required" or an object',
    })
    .optional(),
  stop: z
    .union([z.string(), z.array(z.string())], { error: 'expected stop to be a string or an array of strings' })
    .nullable()
    .optional(),
  max_tokens: optionalNumber('max_tokens'),
  max_completion_tokens: optionalNumber('max_completion_tokens'),
  temperature: optionalNumber('temperature'),
  top_p: optionalNumber('top_p'),
  n: optionalNumber('n'),
});

const embeddingsRequest = z.looseObject({
  model: requiredString('model'),
  input: z.unknown().superRefine((value, ctx) => {
    const ok =
      (typeof value === 'string') ||
      (Array.isArray(value) &&
        value.length > 0 &&
        (value.every((v) => typeof v === 'string') ||
          value.every((v) => typeof v === 'number') ||
          value.every((v) => Array.isArray(v) && v.every((n) => typeof n === 'number'))));
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected input to be a string, a non-empty array of strings, or token arrays',
      });
    }
  }),
});

/** Checks an incoming /v1/chat/completions body; unknown fields are allowed and left untouched. */
export function validateOpenAIChatRequest(body: unknown): ValidationResult {
  return runValidation(chatRequest, body);
}

/** Checks an incoming /v1/embeddings body. */
export function validateOpenAIEmbeddingsRequest(body: unknown): ValidationResult {
  return runValidation(embeddingsRequest, body);
}
