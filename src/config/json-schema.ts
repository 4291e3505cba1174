import { z } from 'zod';
import { Config } from './schema.ts';

/** The JSON Schema of the config file, for editors (`bulwark config schema`, docs/config.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return { title: 'Bulwark configuration', ...z.toJSONSchema(Config, { io: 'input', unrepresentable: 'any' }) };
}
