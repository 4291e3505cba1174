import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** The logger type used across the gateway (pino's). */
export type Logger = PinoLogger;

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Where JSON lines go; stdout when omitted (tests pass a capture stream). */
  destination?: DestinationStream;
}

// Header names that carry upstream or client credentials. Both spellings are listed
// because Node lowercases incoming headers but config-supplied headers keep their case.
const SECRET_HEADERS = ['authorization', 'Authorization', 'x-api-key', 'X-Api-Key', 'api-key', 'Api-Key', 'proxy-authorization', 'cookie'];
// Field names that hold secrets in config objects and error contexts.
const SECRET_FIELDS = ['apiKey', 'api_key', 'password', 'secret', 'token'];

function headerPaths(): string[] {
  const out: string[] = [];
  // pino's redaction has no recursive wildcard, so a few explicit depths cover
  // `headers`, `req.headers`, `upstream.request.headers` and similar shapes.
  for (const prefix of ['', '*.', '*.*.']) {
    for (const name of SECRET_HEADERS) out.push(`${prefix}headers["${name}"]`);
  }
  return out;
}

function fieldPaths(): string[] {
  const out: string[] = [];
  for (const prefix of ['', '*.', '*.*.', '*[*].', '*.*[*].', '*.*.*.']) {
    for (const name of SECRET_FIELDS) out.push(`${prefix}${name}`);
  }
  // Top-level header-like keys, for code that logs a header record directly.
  for (const name of SECRET_HEADERS) out.push(`["${name}"]`);
  return out;
}

/** Redacted paths, exported so tests and docs can show what is hidden. */
export const REDACT_PATHS: readonly string[] = Object.freeze([...headerPaths(), ...fieldPaths()]);

/** Creates the gateway's JSON logger with credential redaction and a `service` base field. */
export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level,
    base: { service: 'bulwark' },
    redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
