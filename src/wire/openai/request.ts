import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../types.ts';
import { arr, isRecord, num, rec, str, type JsonObject } from '../json.ts';
import { imagePartFromUrl, imagePartToUrl } from '../images.ts';
import type {
  OpenAIChatRequestBody,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolCall,
  OpenAIToolChoice,
} from './wire-types.ts';

/** Text of a string-or-parts content field, parts joined by newlines; non-text parts are ignored. */
export function openAIContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((part) => {
      const p = rec(part);
      return str(p.type === 'refusal' ? p.refusal : p.text) ?? '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

function userParts(content: unknown): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: ContentPart[] = [];
  for (const part of arr(content)) {
    const p = rec(part);
    const text = str(p.text);
    const url = str(rec(p.image_url).url);
    if (p.type === 'text' && text !== undefined) parts.push({ type: 'text', text });
    else if (p.type === 'image_url' && url !== undefined) parts.push(imagePartFromUrl(url));
    // input_audio and file parts have no canonical form and are dropped in translation.
  }
  return parts;
}

function assistantParts(message: JsonObject): ContentPart[] {
  const parts: ContentPart[] = [];
  if (typeof message.content === 'string') {
    if (message.content !== '') parts.push({ type: 'text', text: message.content });
  } else {
    for (const part of arr(message.content)) {
      const text = openAIContentText([part]);
      if (text !== '') parts.push({ type: 'text', text });
    }
  }
  const refusal = str(message.refusal);
  if (refusal !== undefined && refusal !== '') parts.push({ type: 'text', text: refusal });
  for (const call of arr(message.tool_calls)) {
    const c = rec(call);
    const fn = rec(c.function);
    parts.push({ type: 'tool_call', id: str(c.id) ?? '', name: str(fn.name) ?? '', arguments: str(fn.arguments) ?? '' });
  }
  const legacy = rec(message.function_call);
  const legacyName = str(legacy.name);
  // Legacy function calls have no id; the function name links the call to its `function` result.
  if (legacyName !== undefined) {
    parts.push({ type: 'tool_call', id: legacyName, name: legacyName, arguments: str(legacy.arguments) ?? '' });
  }
  return parts;
}

function toolChoiceToCanonical(value: unknown): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  const name = str(rec(rec(value).function).name);
  if (name !== undefined) return { name };
  return isRecord(value) ? 'auto' : undefined;
}

function toolsToCanonical(value: unknown): ToolDefinition[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tools: ToolDefinition[] = [];
  for (const tool of value) {
    const fn = rec(rec(tool).function);
    const name = str(fn.name);
    if (name === undefined) continue;
    const def: ToolDefinition = {
      name,
      parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    };
    const description = str(fn.description);
    if (description !== undefined) def.description = description;
    tools.push(def);
  }
  return tools;
}

/** Reads an OpenAI chat body into the canonical model; system/developer messages anywhere are hoisted into `system`. */
export function openAIRequestToCanonical(body: unknown): ChatRequest {
  const root = rec(body);
  const systems: string[] = [];
  const messages: ChatMessage[] = [];
  for (const raw of arr(root.messages)) {
    const m = rec(raw);
    if (m.role === 'system' || m.role === 'developer') {
      systems.push(openAIContentText(m.content));
    } else if (m.role === 'user') {
      messages.push({ role: 'user', content: userParts(m.content) });
    } else if (m.role === 'assistant') {
      messages.push({ role: 'assistant', content: assistantParts(m) });
    } else if (m.role === 'tool' || m.role === 'function') {
      const toolCallId = str(m.role === 'tool' ? m.tool_call_id : m.name) ?? '';
      const part: ContentPart = { type: 'tool_result', toolCallId, content: openAIContentText(m.content) };
      const last = messages[messages.length - 1];
      // Consecutive tool results answer one assistant turn, as Anthropic expects them in one message.
      if (last !== undefined && last.role === 'tool') last.content.push(part);
      else messages.push({ role: 'tool', content: [part] });
    }
  }
  const req: ChatRequest = { model: str(root.model) ?? '', messages, stream: root.stream === true };
  if (systems.length > 0) req.system = systems.join('\n\n');
  const tools = toolsToCanonical(root.tools);
  if (tools !== undefined) req.tools = tools;
  const toolChoice = toolChoiceToCanonical(root.tool_choice);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  const maxTokens = num(root.max_completion_tokens) ?? num(root.max_tokens);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const temperature = num(root.temperature);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = num(root.top_p);
  if (topP !== undefined) req.topP = topP;
  if (typeof root.stop === 'string') req.stop = [root.stop];
  else if (Array.isArray(root.stop)) req.stop = root.stop.filter((s): s is string => typeof s === 'string');
  const user = str(root.user);
  if (user !== undefined) req.user = user;
  if (root.parallel_tool_calls === false) req.parallelToolCalls = false;
  return req;
}

function toOpenAIMessages(message: ChatMessage): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  const rest: ContentPart[] = [];
  for (const part of message.content) {
    if (part.type === 'tool_result') out.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.content });
    else rest.push(part);
  }
  if (message.role === 'assistant') {
    const texts = rest.flatMap((p) => (p.type === 'text' ? [p.text] : []));
    const calls: OpenAIToolCall[] = rest.flatMap((p) =>
      p.type === 'tool_call'
        ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: p.arguments === '' ? '{}' : p.arguments } }]
        : [],
    );
    let content: string | Array<{ type: 'text'; text: string }> | null = texts[0] ?? (calls.length > 0 ? null : '');
    if (texts.length > 1) content = texts.map((text) => ({ type: 'text' as const, text }));
    const msg: OpenAIMessage = { role: 'assistant', content };
    if (calls.length > 0) msg.tool_calls = calls;
    out.push(msg);
  } else if (rest.length > 0) {
    const parts: OpenAIContentPart[] = rest.flatMap((p): OpenAIContentPart[] => {
      if (p.type === 'text') return [{ type: 'text', text: p.text }];
      if (p.type === 'image') return [{ type: 'image_url', image_url: { url: imagePartToUrl(p) } }];
      return [];
    });
    const only = parts[0];
    out.push({ role: 'user', content: parts.length === 1 && only?.type === 'text' ? only.text : parts });
  }
  return out;
}

function toolChoiceToOpenAI(choice: ToolChoice): OpenAIToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** Writes a canonical request as an OpenAI chat body; streams ask for the usage chunk so token counts survive. */
export function canonicalToOpenAIRequest(req: ChatRequest): OpenAIChatRequestBody {
  const messages: OpenAIMessage[] = [];
  if (req.system !== undefined && req.system !== '') messages.push({ role: 'system', content: req.system });
  for (const message of req.messages) messages.push(...toOpenAIMessages(message));
  const body: OpenAIChatRequestBody = { model: req.model, messages };
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t): OpenAITool => {
      const fn: OpenAITool['function'] = { name: t.name, parameters: t.parameters };
      if (t.description !== undefined) fn.description = t.description;
      return { type: 'function', function: fn };
    });
    if (req.toolChoice !== undefined) body.tool_choice = toolChoiceToOpenAI(req.toolChoice);
  }
  if (req.maxTokens !== undefined) body.max_completion_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop !== undefined && req.stop.length > 0) body.stop = req.stop;
  if (req.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  if (req.user !== undefined) body.user = req.user;
  if (req.parallelToolCalls === false && body.tools !== undefined) body.parallel_tool_calls = false;
  return body;
}
