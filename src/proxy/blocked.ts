import { BulwarkError } from '../errors/bulwark-error.ts';
import type { Verdict } from '../policy/decide.ts';

/** The error a client sees when the policy blocks: names the policy, the event and the rules, never the content. */
export function blockedError(verdict: Verdict, options: { policy: string; eventId: string; phase: 'request' | 'response' }): BulwarkError {
  const blocking = verdict.findings.filter((finding) => finding.action === 'block');
  const rules = [...new Set(blocking.map((finding) => `${finding.instance}:${finding.ruleId}`))];
  const clauses = [...new Set(blocking.flatMap((finding) => (finding.clause ? [finding.clause] : [])))];
  const failed = verdict.failures.filter((failure) => failure.consequence === 'block').map((failure) => `${failure.instance}:${failure.status}`);
  const reasons = [...rules, ...failed];
  const what = options.phase === 'request' ? 'Request' : 'Response';
  const cited = clauses.length > 0 ? ` Cited: ${clauses.join('; ')}.` : '';
  return new BulwarkError('BULWARK_POLICY_BLOCKED', `${what} blocked by policy "${options.policy}" (event ${options.eventId}): ${reasons.join(', ') || 'policy decision'}.${cited}`, {
    details: { policy: options.policy, eventId: options.eventId, phase: options.phase, rules, clauses, scannerFailures: failed },
  });
}
