import { loadConfigFile } from '../../config/load.ts';
import { configJsonSchema } from '../../config/json-schema.ts';
import { resolveDataDir } from '../../main.ts';
import { compilePolicy } from '../../proxy/gateway.ts';
import { createLogger } from '../../telemetry/logger.ts';
import { exitCodes, type CliIo } from '../io.ts';

/** `bulwark config check FILE`: validates the file and every scanner's settings without starting anything. */
export function configCheckCommand(file: string, io: CliIo): number {
  const config = loadConfigFile(file, io.env);
  compilePolicy(config, createLogger({ level: 'silent' }), resolveDataDir(undefined, io.env));
  io.stdout(`${file}: ok (${config.providers.length} provider(s), ${config.routes.length} route(s), policy "${config.policy.name}" with ${config.policy.scanners.length} scanner instance(s))\n`);
  return exitCodes.ok;
}

/** `bulwark config schema`: prints the JSON Schema. */
export function configSchemaCommand(io: CliIo): number {
  io.stdout(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return exitCodes.ok;
}
