import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertChannel } from './config.ts';

/** What a channel receives: ids, counts and severities only, never content, messages or secrets. */
export interface Alert {
  id: string;
  rule: string;
  severity: string;
  time: string;
  group: { tenant?: string; keyId?: string; ruleId?: string };
  /** Matching events this notification covers. */
  count: number;
  windowSeconds: number | null;
  /** True for the summary sent when a cooldown ends with folded repeats. */
  repeat: boolean;
  eventIds: string[];
  findingRuleIds: string[];
  policy: string;
}

/** One line a person can read, built from ids and counts only. */
export function alertTitle(alert: Alert): string {
  const who = alert.group.keyId !== undefined ? `key ${alert.group.keyId} (tenant ${alert.group.tenant ?? 'default'})` : alert.group.tenant !== undefined ? `tenant ${alert.group.tenant}` : alert.group.ruleId !== undefined ? `rule ${alert.group.ruleId}` : 'all traffic';
  const window = alert.windowSeconds === null ? '' : ` within ${alert.windowSeconds} s`;
  return `${alert.repeat ? 'repeated: ' : ''}${alert.rule}: ${alert.count} event(s)${window} for ${who}`;
}

/** The request body for a channel's format. */
export function renderAlert(alert: Alert, format: AlertChannel['format']): string {
  if (format === 'json') return JSON.stringify({ ...alert, title: alertTitle(alert) });
  const text = `[${alert.severity.toUpperCase()}] Bulwark alert ${alertTitle(alert)}`;
  const context = [`events: ${alert.eventIds.join(', ') || '-'}`, alert.findingRuleIds.length > 0 ? `rules: ${alert.findingRuleIds.join(', ')}` : null, `policy: ${alert.policy}`, `alert: ${alert.id}`].filter((part) => part !== null).join(' | ');
  return JSON.stringify({
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  });
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signatureHeader(secret: string, body: string, nowSeconds: number = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
  return `t=${nowSeconds},v1=${digest}`;
}

/** Checks a signature header the way a receiver should: right key, body unchanged, timestamp within the tolerance. */
export function verifySignature(secret: string, header: string, body: string, toleranceSeconds = 300, nowSeconds: number = Math.floor(Date.now() / 1000)): boolean {
  const parts = new Map(header.split(',').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

export interface DeliveryOptions {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Aborted on shutdown: waiting between retries stops. */
  signal: AbortSignal;
}

export type DeliveryResult = { ok: true; tries: number } | { ok: false; tries: number; reason: string };

const wait = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** POSTs one alert to one channel, retrying network errors, 429 and 5xx with exponential backoff (bounded). */
export async function deliver(channel: AlertChannel, secret: string | undefined, body: string, options: DeliveryOptions): Promise<DeliveryResult> {
  let reason = 'not tried';
  const maxTries = 1 + options.attempts;
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'bulwark-alerts' };
    // Signed per attempt, so the timestamp is fresh for receivers that check it.
    if (secret !== undefined) headers['x-bulwark-signature'] = signatureHeader(secret, body);
    try {
      const response = await fetch(channel.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(channel.timeoutMs) });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, tries: attempt };
      reason = `status ${response.status}`;
      if (response.status !== 429 && response.status < 500) return { ok: false, tries: attempt, reason };
    } catch (error) {
      reason = error instanceof Error ? error.name : 'network error';
    }
    if (attempt < maxTries) {
      if (options.signal.aborted) return { ok: false, tries: attempt, reason: `${reason}; shutting down` };
      await wait(Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1)), options.signal);
    }
  }
  return { ok: false, tries: maxTries, reason };
}
