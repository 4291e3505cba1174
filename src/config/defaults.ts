import type { z } from 'zod';
import type { Config } from './schema.ts';

type ConfigInput = z.input<typeof Config>;

/** The policy used when a config does not define one: blocks invisible instructions and oversized input. */
export const defaultPolicy: NonNullable<ConfigInput['policy']> = {
  name: 'default',
  description: 'Blocks prompts that carry invisible instructions, injected instructions in tool results or documents, or exceed size limits; flags hidden characters in responses.',
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
    // Threshold: the model's calibrated threshold rounded up (models/indirect-injection.json 0.6201: 2% FPR
    // on held-back clean training documents, scored by the piece model; dev recall 0.91 at FPR 0.00, ADR 0005).
    // Direct injection in user turns is not in the default policy yet: the model catches 80% of dev attacks
    // at 0.7% FPR (goal 95% at 2%), and a language it has no benign examples of reads as an attack (leave-
    // one-source-out: 25% of unseen multilingual MT-bench prompts score >= 0.9); add `ai/prompt-injection`
    // to a policy explicitly to use it (at 0.9 it blocks 64% of dev attacks at 0.1% dev FPR).
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
