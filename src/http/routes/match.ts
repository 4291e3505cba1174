import type { RouteDefinition } from './types.ts';

/** A request's route and the values of its `{name}` path segments. */
export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

/** Path parameters are ids or names: anything else (slashes, dots-only, control characters) matches no route. */
const paramPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

interface Template {
  route: RouteDefinition;
  segments: string[];
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

/**
 * Matches method and path against the table: exact paths by map lookup, then `{name}` templates
 * segment by segment (linear, no regular expressions built from paths). `pathKnown` says whether
 * any route has the path, so the server can answer 405 instead of 404.
 */
export function createRouteMatcher(routes: readonly RouteDefinition[]): { find(method: string, path: string): RouteMatch | null; pathKnown(path: string): boolean } {
  const exact = new Map<string, RouteDefinition>();
  const templates: Template[] = [];
  for (const route of routes) {
    if (route.path.includes('{')) templates.push({ route, segments: splitPath(route.path) });
    else exact.set(`${route.method} ${route.path}`, route);
  }
  const exactPaths = new Set(routes.filter((route) => !route.path.includes('{')).map((route) => route.path));

  const matchTemplate = (template: Template, parts: string[]): Record<string, string> | null => {
    if (template.segments.length !== parts.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 1) {
      const segment = template.segments[i]!;
      const part = parts[i]!;
      if (segment.startsWith('{') && segment.endsWith('}')) {
        let value: string;
        try {
          value = decodeURIComponent(part);
        } catch {
          return null;
        }
        if (!paramPattern.test(value)) return null;
        params[segment.slice(1, -1)] = value;
      } else if (segment !== part) return null;
    }
    return params;
  };

  return {
    find(method, path) {
      const route = exact.get(`${method} ${path}`);
      if (route) return { route, params: {} };
      const parts = splitPath(path);
      for (const template of templates) {
        if (template.route.method !== method) continue;
        const params = matchTemplate(template, parts);
        if (params) return { route: template.route, params };
      }
      return null;
    },
    pathKnown(path) {
      if (exactPaths.has(path)) return true;
      const parts = splitPath(path);
      return templates.some((template) => matchTemplate(template, parts) !== null);
    },
  };
}
