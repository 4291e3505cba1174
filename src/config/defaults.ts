import type { z } from 'zod';
import type { Config } from './schema.ts';

type ConfigInput = z.input<typeof Config>;

/** The policy used when a config does not define one: blocks invisible instructions, confident injection and harmful requests, injected instructions in documents and tool results, and oversized input. */
export const defaultPolicy: NonNullable<ConfigInput['policy']> = {
  name: 'default',
  description: 'Blocks prompts that carry invisible instructions, confident prompt injection or jailbreaks, confident harmful requests, injected instructions in tool results or documents, or exceed size limits; flags hidden characters in responses.',
  scanners: [
    {
      id: 'hidden-characters',
      scanner: 'text/hidden-characters',
      phases: ['request'],
      action: 'block',
    },
    {
      id: 'hidden-characters-response',
      scanner: 'text/hidden-characters',
      phases: ['response', 'response-stream'],
      action: 'flag',
    },
    // Direct injection and jailbreaks in user turns, and harmful requests (including those wrapped in fiction,
    // role-play or persuasion), block only at high confidence: on the dev sets, prompt-injection >= 0.9 or
    // harmful >= 0.9 blocks 64% of prompt-injection attacks and 72% of harmful requests with 0 of 916 benign
    // prompts and 3 of 564 benign-but-sensitive prompts blocked (the calibrated thresholds catch more at 1-2%
    // FPR: set `threshold` lower per tenant). Both are overridable: a tenant whose language the models saw
    // no benign examples of (leave-one-source-out: 25% of unseen multilingual MT-bench prompts score >= 0.9)
    // may raise the threshold or turn them off. Rationale and numbers: ADR 0005, ADR 0009.
    {
      id: 'prompt-injection',
      scanner: 'ai/prompt-injection',
      phases: ['request'],
      origins: ['user'],
      action: 'block',
      threshold: 0.9,
      timeoutMs: 1000,
      overridable: true,
    },
    {
      id: 'harmful-request',
      scanner: 'safety/harmful',
      phases: ['request'],
      origins: ['user'],
      action: 'block',
      threshold: 0.9,
      timeoutMs: 1000,
      overridable: true,
    },
    // Threshold: the model's calibrated threshold rounded up (models/indirect-injection.json 0.6201: 2% FPR
    // on held-back clean training documents, scored by the piece model; dev recall 0.91 at FPR 0.00, ADR 0005).
    {
      id: 'indirect-injection',
      scanner: 'ai/indirect-injection',
      phases: ['request'],
      origins: ['tool', 'document'],
      action: 'block',
      threshold: 0.63,
      timeoutMs: 1000,
    },
    {
      id: 'size-limits',
      scanner: 'limits/size',
      phases: ['request'],
      action: 'block',
    },
  ],
};

/** Builds the zero-config setup from OPENAI_* and ANTHROPIC_* environment variables. */
export function configFromEnvironment(env: NodeJS.ProcessEnv): ConfigInput {
  const providers: NonNullable<ConfigInput['providers']> = [];
  const routes: NonNullable<ConfigInput['routes']> = [];
  const openaiBase = env.OPENAI_BASE_URL?.replace(/\/+$/, '') || 'https://api.openai.com/v1';
  const official = /^https:\/\/api\.openai\.com\b/.test(openaiBase);
  providers.push({
    id: 'openai',
    type: official ? 'openai' : 'openai-compatible',
    baseUrl: openaiBase,
    ...(env.OPENAI_API_KEY ? { apiKey: { env: 'OPENAI_API_KEY' } } : {}),
  });
  if (env.ANTHROPIC_BASE_URL || env.ANTHROPIC_API_KEY) {
    providers.push({
      id: 'anthropic',
      type: 'anthropic',
      baseUrl: env.ANTHROPIC_BASE_URL?.replace(/\/+$/, '') || 'https://api.anthropic.com',
      ...(env.ANTHROPIC_API_KEY ? { apiKey: { env: 'ANTHROPIC_API_KEY' } } : {}),
    });
    routes.push({ match: 'claude*', providers: ['anthropic'] });
  }
  routes.push({ match: '*', providers: ['openai'] });
  return { providers, routes, policy: defaultPolicy };
}
