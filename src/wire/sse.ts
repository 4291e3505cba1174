/** One dispatched server-sent event; `raw` is the exact frame text, terminating blank line included. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
  raw: string;
}

/** Incremental SSE parser: feed text chunks as they arrive, call end() when the stream closes. */
export interface SseParser {
  feed(chunk: string): void;
  end(): void;
}

/** Hooks beyond events; `onOther` receives frames with no data (comments such as `: ping`, bare ids) so proxies can forward every byte. */
export interface SseParserOptions {
  onOther?: (raw: string) => void;
}

/** Creates a WHATWG-conformant SSE parser that survives arbitrary chunk splits (including a split CRLF). */
export function createSseParser(
  onEvent: (e: SseEvent) => void,
  options: SseParserOptions = {},
): SseParser {
  let buffer = '';
  let frameRaw = '';
  let dataLines: string[] = [];
  let eventName: string | undefined;
  let lastId: string | undefined;
  let firstLine = true;

  const dispatch = (): void => {
    const raw = frameRaw;
    frameRaw = '';
    if (dataLines.length > 0) {
      const e: SseEvent = { data: dataLines.join('\n'), raw };
      if (eventName !== undefined) e.event = eventName;
      if (lastId !== undefined) e.id = lastId;
      onEvent(e);
    } else if (raw !== '') {
      options.onOther?.(raw);
    }
    dataLines = [];
    eventName = undefined;
  };

  const handleLine = (rawLine: string): void => {
    let line = rawLine;
    if (firstLine) {
      firstLine = false;
      if (line.startsWith('\uFEFF')) line = line.slice(1);
    }
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') eventName = value === '' ? undefined : value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  const drain = (final: boolean): void => {
    let pos = 0;
    while (pos < buffer.length) {
      let end = pos;
      while (end < buffer.length) {
        const c = buffer.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
      if (end >= buffer.length) break;
      let termLen = 1;
      if (buffer.charCodeAt(end) === 13) {
        // A CR at the very end may be the first half of a CRLF split across chunks.
        if (end + 1 >= buffer.length && !final) break;
        if (buffer.charCodeAt(end + 1) === 10) termLen = 2;
      }
      const line = buffer.slice(pos, end);
      frameRaw += buffer.slice(pos, end + termLen);
      pos = end + termLen;
      handleLine(line);
    }
    buffer = buffer.slice(pos);
  };

  return {
    feed(chunk: string): void {
      if (chunk === '') return;
      buffer += chunk;
      drain(false);
    },
    end(): void {
      drain(true);
      if (buffer !== '') {
        // An unterminated last line still counts, as the SDKs are lenient about a missing final newline.
        frameRaw += buffer;
        handleLine(buffer);
        buffer = '';
      }
      dispatch();
    },
  };
}

/** Formats one SSE frame (LF line endings, multi-line data split into data lines, blank-line terminated). */
export function formatSse(frame: { event?: string; data: string; id?: string }): string {
  let out = '';
  if (frame.event !== undefined) out += `event: ${frame.event}\n`;
  if (frame.id !== undefined) out += `id: ${frame.id}\n`;
  for (const line of frame.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
