/**
 * Compliance and vertical packs: versioned YAML files in `packs/` that a policy includes by name
 * (`policy.packs: [hipaa]`). A pack is a list of scanner instances whose rules cite the clause they
 * answer (`clauses`), so an event says "HIPAA §164.514(b)(2)(i)(B): street address", not just
 * "blocked". Expansion happens when the policy is compiled; the policy's own instance with the
 * same id (`<pack>.<id>`) replaces the pack's, which is how a tenant tunes a pack.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './load.ts';
import { ScannerInstance, type Policy } from './schema.ts';

export const PACKS_DIR = join(import.meta.dirname, '..', '..', 'packs');

export const Pack = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a semantic version such as 1.0.0'),
    title: z.string().min(1),
    description: z.string().min(1),
    kind: z.enum(['compliance', 'vertical']),
    jurisdictions: z.array(z.string().min(2)).default([]).describe('Where the pack applies, e.g. US, EU, US-CA.'),
    references: z.array(z.string().min(1)).default([]).describe('The legal or standard texts the clauses cite.'),
    scanners: z.array(ScannerInstance).min(1),
  })
  .strict();
export type Pack = z.infer<typeof Pack>;

/** Reads and validates one pack; problems name the file and the field. */
export function loadPack(name: string, dir: string = PACKS_DIR): Pack {
  const file = join(dir, `${name}.yaml`);
  if (!existsSync(file)) throw new ConfigError('policy.packs', [{ path: 'policy.packs', message: `unknown pack "${name}"; available: ${listPackNames(dir).join(', ') || 'none'}` }]);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [{ path: '(yaml)', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) }]);
  }
  const parsed = Pack.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })));
  if (parsed.data.name !== name) throw new ConfigError(file, [{ path: 'name', message: `expected "${name}" (the file name), got "${parsed.data.name}"` }]);
  return parsed.data;
}

export function listPackNames(dir: string = PACKS_DIR): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.yaml')).map((file) => file.slice(0, -'.yaml'.length)).sort() : [];
}

/** The policy with its packs' instances added (ids `<pack>.<id>`); the policy's own instances win on id clashes. */
export function expandPacks(policy: Policy, dir: string = PACKS_DIR): Policy {
  if (policy.packs.length === 0) return policy;
  const own = new Set(policy.scanners.map((instance) => instance.id));
  const added: ScannerInstance[] = [];
  for (const name of policy.packs) {
    const pack = loadPack(name, dir);
    for (const instance of pack.scanners) {
      const id = `${pack.name}.${instance.id}`;
      if (!own.has(id)) added.push({ ...instance, id });
    }
  }
  return { ...policy, scanners: [...policy.scanners, ...added] };
}
