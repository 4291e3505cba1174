import { z } from 'zod';
import { SecretRef } from '../config/secret-ref.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lowercase letters, digits, ., - or _');
const glob = z.string().regex(/^[A-Za-z0-9_./*-]+$/, 'expected a rule id or a glob such as prompt-injection/*');

/** `alerts[]`: a threshold rule over recorded events. */
export const AlertRule = z
  .object({
    id: id.describe('Stable rule id; alerts and deduplication name it.'),
    when: z
      .object({
        decision: z.enum(['allow', 'flag', 'redact', 'block', 'error']).optional().describe('Only events with this decision.'),
        ruleId: glob.optional().describe('Only events with a finding whose rule id matches this glob (`*` wildcard).'),
        scanner: z.string().min(1).optional().describe('Only events with a finding from this scanner (definition id, e.g. secrets/patterns).'),
        keyId: z.string().min(1).optional().describe('Only events of this API key id.'),
        tenant: z.string().min(1).optional().describe('Only events of this tenant.'),
        groupBy: z.enum(['key', 'tenant', 'none']).default('key').describe('Count per API key, per tenant, or over everything.'),
        minCount: z.number().int().min(1).max(1_000_000).default(1).describe('Matching events within the window that fire the alert.'),
        windowSeconds: z.number().int().min(1).max(86_400).default(60).describe('Sliding window the events are counted in.'),
      })
      .strict()
      .prefault({}),
    severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('medium').describe('Severity carried by the alert.'),
    channels: z.array(id).min(1).describe('Ids of `alerting.channels` that receive it.'),
  })
  .strict();
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertChannel = z
  .object({
    id: id.describe('Channel id that rules name.'),
    format: z.enum(['json', 'slack']).default('json').describe('json: the alert object; slack: a Slack-compatible `{text, blocks}` message (also Mattermost, Rocket.Chat).'),
    url: z.url().describe('Webhook URL the alert is POSTed to; never logged (it may hold a token).'),
    secret: SecretRef.optional().describe('HMAC-SHA256 key: every POST then carries `x-bulwark-signature: t=<unix seconds>,v1=<hex HMAC of "t.body">`.'),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe('Time one delivery attempt may take.'),
  })
  .strict();
export type AlertChannel = z.infer<typeof AlertChannel>;

export const Alerting = z
  .object({
    channels: z.array(AlertChannel).default([]).describe('Where alerts go.'),
    builtins: z
      .object({
        channels: z.array(id).default([]).describe('Channels of the built-in alerts (empty: every channel).'),
        canaryLeak: z.boolean().default(true).describe('Alert on every `canary/leak` finding (a response contained the planted canary).'),
        newSignatureRule: z.boolean().default(true).describe('Alert the first time (per process) a signature rule id is seen in a finding.'),
        signatureRules: z.array(glob).default(['*/sig/*']).describe('Globs of rule ids that count as signature rules.'),
        budget: z.boolean().default(true).describe('Alert on budget findings (`budget/*`, e.g. a soft limit crossed).'),
        blocksPerMinutePerKey: z.number().int().min(0).max(1_000_000).default(20).describe('Alert when one API key has this many blocked requests within a minute (0: off).'),
      })
      .strict()
      .prefault({}),
    cooldownSeconds: z.number().int().min(0).max(86_400).default(300).describe('An alert of the same rule and group within this time is folded into the first one (its count grows; a summary follows when the cooldown ends).'),
    evaluateIntervalMs: z.number().int().min(10).max(60_000).default(1_000).describe('How often queued events are evaluated (off the request path).'),
    maxQueue: z.number().int().min(1).max(1_000_000).default(10_000).describe('Events waiting for evaluation; beyond it events are skipped and counted.'),
    retry: z
      .object({
        attempts: z.number().int().min(0).max(10).default(4).describe('Retries after a failed delivery (network error, 5xx, 429).'),
        backoffMs: z.number().int().min(1).max(60_000).default(500).describe('First backoff; doubles each retry.'),
        maxBackoffMs: z.number().int().min(1).max(600_000).default(30_000).describe('Backoff ceiling.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Alerting = z.infer<typeof Alerting>;
