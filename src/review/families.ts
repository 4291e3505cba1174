/**
 * Scanner families: what kind of risk a finding is about, from its scanner id and rule id. The
 * dataset export turns a family into a classification `category`; reports map families to the
 * controls of each framework (src/reports/frameworks.ts).
 */
export type Family =
  | 'prompt_injection'
  | 'jailbreak'
  | 'indirect_injection'
  | 'system_prompt_leak'
  | 'harmful_request'
  | 'toxic'
  | 'pii'
  | 'secret'
  | 'document'
  | 'link'
  | 'hidden_text'
  | 'size'
  | 'custom_rule'
  | 'budget'
  | 'abuse'
  | 'other';

export const families: readonly Family[] = ['prompt_injection', 'jailbreak', 'indirect_injection', 'system_prompt_leak', 'harmful_request', 'toxic', 'pii', 'secret', 'document', 'link', 'hidden_text', 'size', 'custom_rule', 'budget', 'abuse', 'other'];

/** The family of one finding (scanner definition id such as `data/pii`, rule id such as `pii/US_SSN`). */
export function familyOf(scanner: string, ruleId: string): Family {
  if (ruleId.startsWith('budget/')) return 'budget';
  if (ruleId.startsWith('abuse/')) return 'abuse';
  if (scanner === 'ai/indirect-injection') return 'indirect_injection';
  if (scanner === 'ai/prompt-injection') return /jailbreak|\/dan\b/i.test(ruleId) ? 'jailbreak' : 'prompt_injection';
  if (scanner === 'leak/canary') return 'system_prompt_leak';
  if (scanner === 'safety/harmful') return 'harmful_request';
  if (scanner === 'safety/toxicity') return 'toxic';
  if (scanner === 'data/pii') return 'pii';
  if (scanner === 'data/secrets') return 'secret';
  if (scanner === 'data/documents') return 'document';
  if (scanner === 'safety/links') return 'link';
  if (scanner === 'text/hidden-characters') return 'hidden_text';
  if (scanner === 'limits/size') return 'size';
  if (scanner === 'text/regex' || scanner === 'text/term-list' || scanner === 'ai/custom-judge') return 'custom_rule';
  return 'other';
}
