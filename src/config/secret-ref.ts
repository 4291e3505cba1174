import { z } from 'zod';

/** A secret given inline, or the name of the environment variable that holds it (own file so config slices outside config/ can use it without an import cycle). */
export const SecretRef = z.union([
  z.string().describe('The secret itself (prefer `env`).'),
  z.object({ env: z.string().min(1).describe('Environment variable holding the secret.') }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** Resolves a secret from the environment; throws naming `field` when the variable is unset or empty. */
export function resolveSecretRef(ref: SecretRef, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '') throw new Error(`${field}: environment variable ${ref.env} is not set`);
  return value;
}
