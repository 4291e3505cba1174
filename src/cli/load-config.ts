import { defaultConfig, loadConfigFile } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

/** The config a command runs with: the file when given, else BULWARK_CONFIG, else the environment defaults. */
export function configFor(file: string | undefined, env: NodeJS.ProcessEnv): Config {
  const path = file ?? env.BULWARK_CONFIG;
  return path ? loadConfigFile(path, env) : defaultConfig(env);
}
