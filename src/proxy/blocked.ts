import { BulwarkError } from '../errors/bulwark-error.ts';
import type { Verdict } from '../policy/decide.ts';

/** The error a client sees when the policy blocks: names the policy, the event and the rules, never the content. */
export function blockedError(verdict: Verdict, options: { policy: string; eventId: string; phase: 'request' | 'response' }): BulwarkError {
  const rules = [...new Set(verdict.findings.filter((finding) => finding.action === 'block').map((finding) => `${finding.instance}:${finding.ruleId}`))];
  const failed = verdict.failures.filter((failure) => failure.consequence === 'block').map((failure) => `${failure.instance}:${failure.status}`);
  const reasons = [...rules, ...failed];
  const what = options.phase === 'request' ? 'Request' : 'Response';
  return new BulwarkError('BULWARK_POLICY_BLOCKED', `${what} blocked by policy "${options.policy}" (event ${options.eventId}): ${reasons.join(', ') || 'policy decision'}.`, {
    details: { policy: options.policy, eventId: options.eventId, phase: options.phase, rules, scannerFailures: failed },
  });
}
