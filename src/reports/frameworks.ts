/**
 * Per-framework control maps: which scanner families (src/review/families.ts) and which kinds of
 * evidence (the audit chain, the review queue, the policy itself) answer each control. This is
 * Bulwark's reading of each framework for what an inference gateway can show; it is evidence for an
 * assessor, not a statement of compliance.
 */
import type { Family } from '../review/families.ts';

export type Evidence = 'audit' | 'review' | 'policy';

export interface Control {
  id: string;
  title: string;
  /** Grouping shown in the report (NIST AI RMF function, OWASP list, regulation part). */
  group?: string;
  families?: Family[];
  evidence?: Evidence[];
}

export interface Framework {
  id: FrameworkId;
  title: string;
  reference: string;
  controls: Control[];
}

export const frameworkIds = ['hipaa', 'gdpr', 'pci-dss', 'eu-ai-act', 'owasp-llm-top10', 'nist-ai-rmf'] as const;
export type FrameworkId = (typeof frameworkIds)[number];

const injection: Family[] = ['prompt_injection', 'indirect_injection', 'jailbreak', 'hidden_text'];

export const frameworks: Record<FrameworkId, Framework> = {
  hipaa: {
    id: 'hipaa',
    title: 'HIPAA Privacy and Security Rules',
    reference: '45 CFR Parts 160 and 164',
    controls: [
      { id: '§164.514(b)', title: 'De-identification (Safe Harbor identifiers)', group: 'Privacy Rule', families: ['pii', 'document'] },
      { id: '§164.502(a)', title: 'Uses and disclosures of PHI', group: 'Privacy Rule', families: ['pii', 'document', 'system_prompt_leak'] },
      { id: '§164.308(a)(1)(ii)(D)', title: 'Information system activity review', group: 'Security Rule, administrative', evidence: ['review'] },
      { id: '§164.308(a)(5)(ii)(B)', title: 'Protection from malicious software', group: 'Security Rule, administrative', families: [...injection, 'link'] },
      { id: '§164.312(a)(1)', title: 'Access control', group: 'Security Rule, technical', families: ['secret', 'abuse'] },
      { id: '§164.312(b)', title: 'Audit controls', group: 'Security Rule, technical', evidence: ['audit'] },
      { id: '§164.312(c)(1)', title: 'Integrity (mechanism to detect alteration)', group: 'Security Rule, technical', evidence: ['audit'] },
    ],
  },
  gdpr: {
    id: 'gdpr',
    title: 'EU General Data Protection Regulation',
    reference: 'Regulation (EU) 2016/679',
    controls: [
      { id: 'Art. 5(1)(c)', title: 'Data minimisation', families: ['pii', 'document'] },
      { id: 'Art. 5(1)(f)', title: 'Integrity and confidentiality', families: ['pii', 'secret', 'system_prompt_leak'] },
      { id: 'Art. 5(2)', title: 'Accountability', evidence: ['audit', 'review'] },
      { id: 'Art. 25', title: 'Data protection by design and by default', families: ['pii'], evidence: ['policy'] },
      { id: 'Art. 30', title: 'Records of processing activities', evidence: ['audit'] },
      { id: 'Art. 32', title: 'Security of processing', families: [...injection, 'link', 'secret', 'abuse'] },
    ],
  },
  'pci-dss': {
    id: 'pci-dss',
    title: 'PCI DSS v4.0',
    reference: 'Payment Card Industry Data Security Standard v4.0',
    controls: [
      { id: '3.4.1', title: 'PAN is masked when displayed', group: 'Req. 3 Protect stored account data', families: ['pii'] },
      { id: '3.5.1', title: 'PAN is rendered unreadable wherever it is stored', group: 'Req. 3 Protect stored account data', families: ['pii'], evidence: ['policy'] },
      { id: '6.2.4', title: 'Software engineering techniques prevent common attacks (injection)', group: 'Req. 6 Secure systems and software', families: injection },
      { id: '8.6.2', title: 'Passwords for application and system accounts are not hard-coded', group: 'Req. 8 Identify users and authenticate access', families: ['secret'] },
      { id: '10.2.1', title: 'Audit logs are enabled and active', group: 'Req. 10 Log and monitor all access', evidence: ['audit'] },
      { id: '10.3.4', title: 'Change detection on audit logs', group: 'Req. 10 Log and monitor all access', evidence: ['audit'] },
      { id: '10.4.1', title: 'Audit logs are reviewed', group: 'Req. 10 Log and monitor all access', evidence: ['review'] },
    ],
  },
  'eu-ai-act': {
    id: 'eu-ai-act',
    title: 'EU Artificial Intelligence Act',
    reference: 'Regulation (EU) 2024/1689',
    controls: [
      { id: 'Art. 9', title: 'Risk management system', families: [...injection, 'harmful_request', 'toxic', 'pii', 'secret', 'system_prompt_leak', 'link', 'custom_rule'], evidence: ['policy'] },
      { id: 'Art. 10', title: 'Data and data governance', families: ['pii', 'document'], evidence: ['review'] },
      { id: 'Art. 12', title: 'Record-keeping', evidence: ['audit'] },
      { id: 'Art. 13', title: 'Transparency and provision of information to deployers', evidence: ['policy'] },
      { id: 'Art. 14', title: 'Human oversight', evidence: ['review'] },
      { id: 'Art. 15', title: 'Accuracy, robustness and cybersecurity', families: [...injection, 'link', 'secret', 'system_prompt_leak', 'abuse', 'size'] },
    ],
  },
  'owasp-llm-top10': {
    id: 'owasp-llm-top10',
    title: 'OWASP Top 10 for LLM Applications (2025)',
    reference: 'OWASP GenAI Security Project, 2025 list',
    controls: [
      { id: 'LLM01', title: 'Prompt Injection', families: injection },
      { id: 'LLM02', title: 'Sensitive Information Disclosure', families: ['pii', 'secret', 'document'] },
      { id: 'LLM03', title: 'Supply Chain' },
      { id: 'LLM04', title: 'Data and Model Poisoning' },
      { id: 'LLM05', title: 'Improper Output Handling', families: ['link', 'harmful_request', 'toxic'] },
      { id: 'LLM06', title: 'Excessive Agency', families: ['custom_rule'] },
      { id: 'LLM07', title: 'System Prompt Leakage', families: ['system_prompt_leak'] },
      { id: 'LLM08', title: 'Vector and Embedding Weaknesses', families: ['indirect_injection'] },
      { id: 'LLM09', title: 'Misinformation' },
      { id: 'LLM10', title: 'Unbounded Consumption', families: ['size', 'budget', 'abuse'] },
    ],
  },
  'nist-ai-rmf': {
    id: 'nist-ai-rmf',
    title: 'NIST AI Risk Management Framework 1.0',
    reference: 'NIST AI 100-1 (2023)',
    controls: [
      { id: 'GOVERN 1.5', title: 'Ongoing monitoring and periodic review of the risk management process', group: 'GOVERN', evidence: ['review'] },
      { id: 'MAP 4.2', title: 'Internal risk controls for AI components are identified and documented', group: 'MAP', evidence: ['policy'] },
      { id: 'MEASURE 2.6', title: 'Safety risks are evaluated', group: 'MEASURE', families: ['harmful_request', 'toxic'] },
      { id: 'MEASURE 2.7', title: 'Security and resilience are evaluated and documented', group: 'MEASURE', families: [...injection, 'link', 'secret', 'system_prompt_leak', 'abuse'] },
      { id: 'MEASURE 2.10', title: 'Privacy risk is examined and documented', group: 'MEASURE', families: ['pii', 'document'] },
      { id: 'MEASURE 3.3', title: 'Feedback processes for reporting problems are established', group: 'MEASURE', evidence: ['review'] },
      { id: 'MANAGE 2.4', title: 'Mechanisms to supersede, disengage or deactivate AI outputs', group: 'MANAGE', evidence: ['policy'] },
      { id: 'MANAGE 4.1', title: 'Post-deployment monitoring plans are implemented', group: 'MANAGE', evidence: ['audit'] },
    ],
  },
};

/** The framework of a CLI argument; the error names the allowed values. */
export function frameworkOf(name: string): Framework {
  if (!(frameworkIds as readonly string[]).includes(name)) throw new Error(`--framework: expected one of ${frameworkIds.join(', ')}, got ${JSON.stringify(name)}`);
  return frameworks[name as FrameworkId];
}

/** Controls a family answers in a framework. */
export function controlsFor(framework: Framework, family: Family): Control[] {
  return framework.controls.filter((control) => control.families?.includes(family));
}
