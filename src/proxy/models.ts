import { openAIModelsList } from '../wire/index.ts';
import type { Gateway } from './gateway.ts';

/** GET /v1/models: the models the config names (providers' lists and exact route names), without asking upstreams. */
export function listModels(gateway: Gateway): unknown {
  const ids = new Set<string>();
  for (const provider of gateway.config.providers) for (const model of provider.models) ids.add(model);
  for (const route of gateway.config.routes) if (!route.match.includes('*')) ids.add(route.match);
  return openAIModelsList([...ids]);
}
