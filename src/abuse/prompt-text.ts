/** The text abuse detection looks at: the last user turn of a chat request, or the input of an embeddings or scan request. */

const maxChars = 4_000;

function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** The last user turn (OpenAI or Anthropic messages), else `input` (embeddings, scan) or `prompt`; at most 4,000 characters. */
export function lastUserText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  let text = '';
  if (Array.isArray(record.messages)) {
    for (let index = record.messages.length - 1; index >= 0; index -= 1) {
      const message = record.messages[index] as { role?: unknown; content?: unknown } | null;
      if (message && message.role === 'user') {
        text = partsText(message.content);
        break;
      }
    }
  }
  if (text === '' && typeof record.input === 'string') text = record.input;
  if (text === '' && Array.isArray(record.input)) text = record.input.filter((item): item is string => typeof item === 'string').slice(0, 16).join('\n');
  if (text === '' && typeof record.prompt === 'string') text = record.prompt;
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
