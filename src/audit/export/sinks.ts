import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import type { Writable } from 'node:stream';

/** Where exported lines go; `write` resolves when the sink can take more (backpressure). */
export interface ExportSink {
  write(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

function waitDrain(stream: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    stream.on('drain', onDrain);
    stream.on('error', done);
  });
}

/** Newline-terminated lines to a stream (file or stdout), waiting for 'drain' when its buffer is full. */
export function streamSink(stream: Writable, end = true): ExportSink {
  return {
    async write(lines) {
      if (lines.length === 0) return;
      if (!stream.write(`${lines.join('\n')}\n`)) await waitDrain(stream);
    },
    async close() {
      if (!end) return;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
    },
  };
}

/** Parses `--syslog`: `host:port`, `udp://host:port` or `tcp://host:port` (UDP by default). */
export function parseSyslogTarget(value: string): { protocol: 'udp' | 'tcp'; host: string; port: number } {
  const match = /^(?:(udp|tcp):\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) throw new Error(`--syslog: expected host:port, udp://host:port or tcp://host:port, got ${JSON.stringify(value)}`);
  return { protocol: (match[1] as 'udp' | 'tcp' | undefined) ?? 'udp', host: match[2]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * Syslog sender: UDP sends one datagram per message (RFC 5426); TCP frames each message with
 * octet counting, `<length> <message>` (RFC 6587), and waits for the socket to drain.
 */
export async function syslogSink(target: { protocol: 'udp' | 'tcp'; host: string; port: number }): Promise<ExportSink> {
  if (target.protocol === 'udp') {
    const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    return {
      async write(lines) {
        for (const line of lines) {
          await new Promise<void>((resolve, reject) => socket.send(Buffer.from(line, 'utf8'), target.port, target.host, (err) => (err ? reject(err) : resolve())));
        }
      },
      async close() {
        await new Promise<void>((resolve) => socket.close(() => resolve()));
      },
    };
  }
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(target.port, target.host, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  let failure: Error | null = null;
  socket.on('error', (err) => (failure = err));
  return {
    async write(lines) {
      if (failure) throw failure;
      const frames = lines.map((line) => {
        const bytes = Buffer.from(line, 'utf8');
        return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
      });
      if (!socket.write(Buffer.concat(frames))) await new Promise<void>((resolve) => socket.once('drain', resolve));
    },
    async close() {
      await new Promise<void>((resolve) => socket.end(() => resolve()));
      if (failure) throw failure;
    },
  };
}
