/** Wire formats the gateway speaks, on either side. */
export type WireFormat = 'openai' | 'anthropic';

/** Who wrote a piece of text, which decides how far it is trusted. */
export type Origin = 'system' | 'user' | 'assistant' | 'tool' | 'document';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A path into a JSON body, e.g. ['messages', 2, 'content', 0, 'text']. */
export type JsonPath = ReadonlyArray<string | number>;

/** One scannable piece of text extracted from a request or response body. */
export interface TextSegment {
  /** Stable within one body, e.g. "m2.c0". */
  id: string;
  role: Role;
  origin: Origin;
  text: string;
  /** Where the text lives in the wire body, so edits can be written back. */
  path: JsonPath;
  /** Index of the message (turn) it came from; -1 for top-level fields like a system string. */
  turn: number;
  /**
   * True when `text` is a serialisation (e.g. JSON.stringify of a tool_use input object) rather than
   * the string stored at `path`; write an edit back with setAtPath(body, path, JSON.parse(edited)).
   */
  readOnly?: boolean;
}

/** A canonical content part, the common ground between OpenAI and Anthropic. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url?: string; mediaType?: string; data?: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_result'; toolCallId: string; content: string; isError?: boolean };

export interface ChatMessage {
  role: 'user' | 'assistant' | 'tool';
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** A chat request in the canonical model, used only when translating between formats. */
export interface ChatRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  stream: boolean;
  user?: string;
  /** False when the client forbids parallel tool calls (OpenAI parallel_tool_calls, Anthropic disable_parallel_tool_use). */
  parallelToolCalls?: boolean;
}

export type StopReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  id: string;
  model: string;
  /** Text and tool_call parts only. */
  content: ContentPart[];
  stopReason: StopReason;
  /** The stop sequence that ended generation, when the upstream says which (Anthropic does). */
  stopSequence?: string;
  usage: Usage;
}

/**
 * Canonical streaming events; a stream is start, deltas, stop (or error).
 * `index` identifies a content block (text or tool call) in order of first appearance; encoders
 * renumber blocks for their wire format, so indexes need not be dense.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; inputTokens?: number }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; argumentsDelta: string }
  | { type: 'stop'; stopReason: StopReason; stopSequence?: string; usage?: Usage }
  /** The upstream reported an error mid-stream; `errorType` is its wire type, e.g. overloaded_error. */
  | { type: 'error'; message: string; errorType?: string };
