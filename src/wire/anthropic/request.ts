import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../types.ts';
import { arr, isRecord, num, parseJsonObject, rec, str, type JsonObject } from '../json.ts';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicMessagesRequestBody,
  AnthropicToolChoice,
} from './wire-types.ts';

/** Anthropic requires max_tokens; this is used when the client did not say. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** Text of a string-or-blocks value (system, tool_result content, document sources), blocks joined by newlines. */
export function anthropicText(value: unknown): string {
  if (typeof value === 'string') return value;
  const texts: string[] = [];
  for (const item of arr(value)) {
    const b = rec(item);
    const text = str(b.text);
    if (b.type === 'text' && text !== undefined) texts.push(text);
    else if (b.type === 'document') texts.push(documentText(b));
    else if (b.type === 'search_result') texts.push(anthropicText(b.content));
  }
  return texts.filter((t) => t !== '').join('\n');
}

function documentText(block: JsonObject): string {
  const source = rec(block.source);
  if (source.type === 'text') return str(source.data) ?? '';
  if (source.type === 'content') return anthropicText(source.content);
  return '';
}

function imagePart(block: JsonObject): ContentPart | undefined {
  const source = rec(block.source);
  const data = str(source.data);
  const url = str(source.url);
  if (source.type === 'base64' && data !== undefined) {
    return { type: 'image', mediaType: str(source.media_type) ?? 'image/png', data };
  }
  if (source.type === 'url' && url !== undefined) return { type: 'image', url };
  return undefined;
}

/** Canonical parts of one block; documents become text, thinking and server-tool blocks have no canonical form. */
function blockParts(block: JsonObject): ContentPart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: str(block.text) ?? '' }];
    case 'image': {
      const part = imagePart(block);
      return part === undefined ? [] : [part];
    }
    case 'document':
    case 'search_result': {
      const text = block.type === 'document' ? documentText(block) : anthropicText(block.content);
      return text === '' ? [] : [{ type: 'text', text }];
    }
    case 'tool_use':
      return [{ type: 'tool_call', id: str(block.id) ?? '', name: str(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) }];
    case 'tool_result': {
      const part: ContentPart = { type: 'tool_result', toolCallId: str(block.tool_use_id) ?? '', content: anthropicText(block.content) };
      if (block.is_error === true) part.isError = true;
      return [part];
    }
    default:
      return [];
  }
}

/** Splits one Anthropic message into canonical messages, tool results becoming `tool` messages in their original order. */
function messageToCanonical(message: JsonObject): ChatMessage[] {
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  if (typeof message.content === 'string') return [{ role, content: [{ type: 'text', text: message.content }] }];
  const out: ChatMessage[] = [];
  for (const block of arr(message.content)) {
    for (const part of blockParts(rec(block))) {
      const partRole = part.type === 'tool_result' ? 'tool' : role;
      const last = out[out.length - 1];
      if (last !== undefined && last.role === partRole) last.content.push(part);
      else out.push({ role: partRole, content: [part] });
    }
  }
  return out;
}

function toolChoiceToCanonical(value: unknown): ToolChoice | undefined {
  const c = rec(value);
  if (c.type === 'auto' || c.type === 'none') return c.type;
  if (c.type === 'any') return 'required';
  const name = str(c.name);
  if (c.type === 'tool' && name !== undefined) return { name };
  return undefined;
}

/** Reads an Anthropic messages body into the canonical model; server tools (no input_schema) are dropped. */
export function anthropicRequestToCanonical(body: unknown): ChatRequest {
  const root = rec(body);
  const messages = arr(root.messages).flatMap((m) => messageToCanonical(rec(m)));
  const req: ChatRequest = { model: str(root.model) ?? '', messages, stream: root.stream === true };
  const system = anthropicText(root.system);
  if (system !== '') req.system = system;
  if (Array.isArray(root.tools)) {
    req.tools = root.tools.flatMap((t): ToolDefinition[] => {
      const tool = rec(t);
      const name = str(tool.name);
      if (name === undefined || !isRecord(tool.input_schema)) return [];
      const def: ToolDefinition = { name, parameters: tool.input_schema };
      const description = str(tool.description);
      if (description !== undefined) def.description = description;
      return [def];
    });
  }
  const toolChoice = toolChoiceToCanonical(root.tool_choice);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  if (rec(root.tool_choice).disable_parallel_tool_use === true) req.parallelToolCalls = false;
  const maxTokens = num(root.max_tokens);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const temperature = num(root.temperature);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = num(root.top_p);
  if (topP !== undefined) req.topP = topP;
  if (Array.isArray(root.stop_sequences)) req.stop = root.stop_sequences.filter((s): s is string => typeof s === 'string');
  const user = str(rec(root.metadata).user_id);
  if (user !== undefined) req.user = user;
  return req;
}

function partToBlock(part: ContentPart): AnthropicContentBlock | undefined {
  switch (part.type) {
    case 'text':
      // Anthropic rejects empty text blocks.
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      if (part.data !== undefined) {
        return { type: 'image', source: { type: 'base64', media_type: part.mediaType ?? 'image/png', data: part.data } };
      }
      return part.url === undefined ? undefined : { type: 'image', source: { type: 'url', url: part.url } };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseJsonObject(part.arguments) };
    case 'tool_result': {
      const block: AnthropicContentBlock = { type: 'tool_result', tool_use_id: part.toolCallId, content: part.content };
      if (part.isError === true) block.is_error = true;
      return block;
    }
  }
}

function toolChoiceToAnthropic(choice: ToolChoice): AnthropicToolChoice {
  if (choice === 'required') return { type: 'any' };
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', name: choice.name };
}

/** Writes a canonical request as an Anthropic body: tool results ride in user turns and same-role turns merge, as the API requires. */
export function canonicalToAnthropicRequest(req: ChatRequest): AnthropicMessagesRequestBody {
  const merged: Array<{ role: 'user' | 'assistant'; blocks: AnthropicContentBlock[] }> = [];
  for (const message of req.messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = message.content.flatMap((p) => {
      const b = partToBlock(p);
      return b === undefined ? [] : [b];
    });
    if (blocks.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && last.role === role) last.blocks.push(...blocks);
    else merged.push({ role, blocks });
  }
  const messages: AnthropicMessage[] = merged.map(({ role, blocks }) => {
    const only = blocks[0];
    return { role, content: blocks.length === 1 && only?.type === 'text' ? only.text : blocks };
  });
  const body: AnthropicMessagesRequestBody = {
    model: req.model,
    max_tokens: req.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages,
  };
  if (req.system !== undefined && req.system !== '') body.system = req.system;
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => {
      const tool: { name: string; description?: string; input_schema: Record<string, unknown> } = {
        name: t.name,
        input_schema: t.parameters,
      };
      if (t.description !== undefined) tool.description = t.description;
      return tool;
    });
    if (req.toolChoice !== undefined || req.parallelToolCalls === false) {
      const choice = toolChoiceToAnthropic(req.toolChoice ?? 'auto');
      body.tool_choice = req.parallelToolCalls === false && choice.type !== 'none' ? { ...choice, disable_parallel_tool_use: true } : choice;
    }
  }
  // Anthropic's temperature range is 0..1 where OpenAI's is 0..2.
  if (req.temperature !== undefined) body.temperature = Math.min(req.temperature, 1);
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop;
  if (req.stream) body.stream = true;
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  return body;
}
