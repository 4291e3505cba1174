import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { resolveSecretRef } from '../config/secret-ref.ts';
import type { GatewayEvent } from '../store/types.ts';
import type { AlertChannel, AlertRule, Alerting } from './config.ts';
import { deliver, renderAlert, type Alert } from './deliver.ts';
import { RuleEvaluator, type AlertTrigger } from './rules.ts';

export interface AlertEngineOptions {
  rules: readonly AlertRule[];
  alerting: Alerting;
  policy: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

/** A problem with the alert configuration, by config path. */
export interface AlertConfigProblem {
  path: string;
  message: string;
}

/** Checks that every channel a rule names exists and ids are unique; empty when all is well. */
export function alertConfigProblems(rules: readonly AlertRule[], alerting: Alerting): AlertConfigProblem[] {
  const problems: AlertConfigProblem[] = [];
  const ids = new Set<string>();
  alerting.channels.forEach((channel, index) => {
    if (ids.has(channel.id)) problems.push({ path: `alerting.channels[${index}].id`, message: `duplicate channel id "${channel.id}"` });
    ids.add(channel.id);
  });
  const known = (list: readonly string[], path: string): void => {
    list.forEach((id, index) => {
      if (!ids.has(id)) problems.push({ path: `${path}[${index}]`, message: `unknown channel "${id}"; expected one of: ${[...ids].join(', ') || '(no channels configured in alerting.channels)'}` });
    });
  };
  const ruleIds = new Set<string>();
  rules.forEach((rule, index) => {
    if (ruleIds.has(rule.id)) problems.push({ path: `alerts[${index}].id`, message: `duplicate alert rule id "${rule.id}"` });
    ruleIds.add(rule.id);
    if (rule.id.startsWith('builtin')) problems.push({ path: `alerts[${index}].id`, message: 'ids starting with "builtin" are reserved for the built-in alerts' });
    known(rule.channels, `alerts[${index}].channels`);
  });
  known(alerting.builtins.channels, 'alerting.builtins.channels');
  return problems;
}

interface Cooldown {
  until: number;
  trigger: AlertTrigger;
  folded: number;
  eventIds: string[];
}

/**
 * Evaluates events off the request path: `observe` only queues; a timer evaluates the queue,
 * folds repeats of the same rule and group within the cooldown into one alert (a summary with
 * the count follows when the cooldown ends), and delivers to the channels with retries.
 */
export class AlertEngine {
  readonly #options: AlertEngineOptions;
  readonly #evaluator: RuleEvaluator;
  readonly #channels: Map<string, { channel: AlertChannel; secret: string | undefined }>;
  readonly #queue: GatewayEvent[] = [];
  readonly #cooldowns = new Map<string, Cooldown>();
  readonly #pending = new Set<Promise<void>>();
  readonly #shutdown = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #sent = 0;
  #failed = 0;
  #skipped = 0;

  constructor(options: AlertEngineOptions) {
    const problems = alertConfigProblems(options.rules, options.alerting);
    if (problems.length > 0) throw new Error(`alert configuration: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
    this.#options = options;
    this.#evaluator = new RuleEvaluator(options.rules, options.alerting.builtins);
    this.#channels = new Map(
      options.alerting.channels.map((channel, index) => [channel.id, { channel, secret: channel.secret === undefined ? undefined : resolveSecretRef(channel.secret, `alerting.channels[${index}].secret`, options.env) }]),
    );
    this.#timer = setInterval(() => this.tick(), options.alerting.evaluateIntervalMs);
    this.#timer.unref();
  }

  /** Queues an event for evaluation: O(1), never throws, never waits. */
  observe(event: GatewayEvent): void {
    if (this.#queue.length >= this.#options.alerting.maxQueue) {
      this.#skipped++;
      return;
    }
    this.#queue.push(event);
  }

  /** Deliveries so far, for metrics. */
  stats(): { sent: number; failed: number; skipped: number } {
    return { sent: this.#sent, failed: this.#failed, skipped: this.#skipped };
  }

  /** Evaluates what is queued and ends due cooldowns; the timer calls it, tests may too. */
  tick(now: number = Date.now()): void {
    const events = this.#queue.splice(0);
    for (const event of events) {
      let triggers: AlertTrigger[];
      try {
        triggers = this.#evaluator.evaluate(event);
      } catch (error) {
        this.#options.logger.error({ err: { message: (error as Error).message }, event: event.id }, 'alert evaluation failed');
        continue;
      }
      for (const trigger of triggers) this.#fire(trigger, now);
    }
    for (const [key, cooldown] of this.#cooldowns) {
      if (cooldown.until > now) continue;
      this.#cooldowns.delete(key);
      if (cooldown.folded > 0) this.#send({ ...cooldown.trigger, count: cooldown.folded, eventIds: cooldown.eventIds }, true, now);
    }
  }

  /** Resolves once every delivery in flight settled (used by tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Evaluates what is left, sends folded summaries, and waits (up to `graceMs`) for deliveries; retries stop waiting. */
  async close(graceMs = 2_000): Promise<void> {
    clearInterval(this.#timer);
    this.tick(Number.POSITIVE_INFINITY);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([this.idle(), grace.then(() => this.#shutdown.abort())]);
    this.#shutdown.abort();
    await Promise.race([this.idle(), new Promise<void>((resolve) => setTimeout(resolve, 200).unref())]);
  }

  #fire(trigger: AlertTrigger, now: number): void {
    const key = `${trigger.rule}\u0000${trigger.groupKey}`;
    const cooldown = this.#cooldowns.get(key);
    if (cooldown !== undefined && cooldown.until > now) {
      cooldown.folded += trigger.count;
      for (const id of trigger.eventIds) if (cooldown.eventIds.length < 10) cooldown.eventIds.push(id);
      return;
    }
    if (this.#options.alerting.cooldownSeconds > 0) {
      if (this.#cooldowns.size >= 10_000) this.#cooldowns.delete(this.#cooldowns.keys().next().value!);
      this.#cooldowns.set(key, { until: now + this.#options.alerting.cooldownSeconds * 1000, trigger, folded: 0, eventIds: [] });
    }
    this.#send(trigger, false, now);
  }

  #send(trigger: AlertTrigger, repeat: boolean, now: number): void {
    const alert: Alert = {
      id: `alt_${randomUUID().replace(/-/g, '')}`,
      rule: trigger.rule,
      severity: trigger.severity,
      time: new Date(Number.isFinite(now) ? now : Date.now()).toISOString(),
      group: trigger.group,
      count: trigger.count,
      windowSeconds: trigger.windowSeconds,
      repeat,
      eventIds: trigger.eventIds,
      findingRuleIds: trigger.findingRuleIds,
      policy: this.#options.policy,
    };
    const targets = trigger.channels.length > 0 ? trigger.channels : [...this.#channels.keys()];
    const { retry } = this.#options.alerting;
    for (const id of targets) {
      const target = this.#channels.get(id);
      if (target === undefined) continue;
      const delivery = deliver(target.channel, target.secret, renderAlert(alert, target.channel.format), { ...retry, signal: this.#shutdown.signal }).then(
        (result) => {
          if (result.ok) this.#sent++;
          else {
            this.#failed++;
            this.#options.logger.warn({ alert: alert.id, rule: alert.rule, channel: id, tries: result.tries, reason: result.reason }, 'alert delivery failed');
          }
        },
        (error: unknown) => {
          this.#failed++;
          this.#options.logger.warn({ alert: alert.id, channel: id, err: { message: (error as Error).message } }, 'alert delivery failed');
        },
      );
      this.#pending.add(delivery);
      void delivery.finally(() => this.#pending.delete(delivery));
    }
  }
}
