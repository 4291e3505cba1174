import { z } from 'zod';
import { BulwarkError } from '../errors/bulwark-error.ts';
import { formatPath } from '../config/load.ts';
import { applyEdits, strongest, type Decision, type Verdict } from '../policy/decide.ts';
import type { Origin, Role, TextSegment } from '../wire/types.ts';
import { gatewayFor } from './policy-views.ts';
import { admit, type RequestAccess } from './admission.ts';
import { EventDraft } from './event-draft.ts';
import type { Gateway } from './gateway.ts';
import { scanPhase } from './scan-phase.ts';
import { rememberSystemPrompts } from '../scanners/system-prompt/index.ts';

const originByRole: Record<string, Origin> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: 'tool', document: 'document' };

/** Body of POST /v1/scan. */
export const ScanRequest = z
  .object({
    input: z.string().optional().describe('A prompt to scan as one user segment.'),
    messages: z
      .array(
        z.object({
          role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'document']),
          content: z.string(),
        }),
      )
      .optional()
      .describe('A conversation; every turn is scanned with its origin.'),
    output: z.string().optional().describe('A model answer to scan with the response phase.'),
  })
  .refine((value) => value.input !== undefined || value.messages !== undefined || value.output !== undefined, { message: 'expected at least one of "input", "messages" or "output"' });
export type ScanRequest = z.infer<typeof ScanRequest>;

export interface ScanAnswer {
  decision: Decision;
  findings: { scanner: string; instance: string; ruleId: string; score: number; severity: string; message: string; action: string; phase: 'request' | 'response'; segment: string; origin: string; span: [number, number]; evidence?: string }[];
  /** Redacted input (or output) when the decision is redact. */
  text?: string;
  output?: string;
  eventId: string;
}

/** Parses a scan body, naming the bad field when it is wrong. */
export function parseScanRequest(body: unknown): ScanRequest {
  const parsed = ScanRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BulwarkError('BULWARK_INVALID_REQUEST', parsed.error.issues.map((item) => `${formatPath(item.path) || '(body)'}: ${item.message}`).join('; '), { param: formatPath(issue.path) || null });
  }
  return parsed.data;
}

/** Scans text without proxying: the same scanners, policy and event record as the gateway. */
export async function scanText(gateway: Gateway, request: ScanRequest, meta: { requestId: string; route: string; access?: RequestAccess }): Promise<ScanAnswer> {
  const draft = new EventDraft(meta.requestId, meta.route, gateway.config.policy.name, gateway.config.storage.content);
  await admit(gateway, meta.access, { model: null, draft, body: request });
  // The caller's effective policy (policy precedence: global, tenant, project).
  gateway = gatewayFor(gateway, meta.access?.principal ?? null);
  draft.policy = gateway.config.policy.name;
  const state = new Map<string, unknown>();
  const requestSegments: TextSegment[] = [];
  if (request.input !== undefined) requestSegments.push({ id: 'input', role: 'user', origin: 'user', text: request.input, path: ['input'], turn: 0 });
  request.messages?.forEach((message, index) => {
    const origin = originByRole[message.role] ?? 'user';
    const role: Role = origin === 'document' ? 'user' : origin === 'system' ? 'system' : (message.role as Role);
    requestSegments.push({ id: `m${index}`, role, origin, text: message.content, path: ['messages', index, 'content'], turn: index });
  });
  // System messages, so leak/system-prompt can compare `output` with them.
  rememberSystemPrompts(state, requestSegments);
  const findings: ScanAnswer['findings'] = [];
  let decision: Decision = 'allow';
  const answer: Partial<ScanAnswer> = {};
  if (requestSegments.length > 0) {
    const { verdict } = await scanPhase(gateway, 'request', requestSegments, draft, state);
    decision = strongest(decision, verdict.decision);
    collect(findings, verdict, 'request');
    if (verdict.decision === 'redact' && request.input !== undefined) answer.text = applyEdits(request.input, verdict.edits.filter((edit) => edit.segmentId === 'input'));
  }
  if (request.output !== undefined) {
    const { verdict } = await scanPhase(gateway, 'response', [{ id: 'output', role: 'assistant', origin: 'assistant', text: request.output, path: ['output'], turn: 0 }], draft, state);
    decision = strongest(decision, verdict.decision);
    collect(findings, verdict, 'response');
    if (verdict.decision === 'redact') answer.output = applyEdits(request.output, verdict.edits);
  }
  gateway.record(draft.finish(decision, 200));
  return { decision, findings, ...answer, eventId: draft.id };
}

function collect(out: ScanAnswer['findings'], verdict: Verdict, phase: 'request' | 'response'): void {
  for (const finding of verdict.findings) {
    out.push({
      scanner: finding.scanner,
      instance: finding.instance,
      ruleId: finding.ruleId,
      score: finding.score,
      severity: finding.severity,
      message: finding.message,
      action: finding.action,
      phase,
      segment: finding.segmentId,
      origin: finding.origin,
      span: finding.span,
      ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
    });
  }
  for (const failure of verdict.failures) {
    out.push({ scanner: failure.scanner, instance: failure.instance, ruleId: `scanner/${failure.status}`, score: 1, severity: 'high', message: failure.error, action: failure.consequence, phase, segment: '', origin: '', span: [0, 0] });
  }
}
