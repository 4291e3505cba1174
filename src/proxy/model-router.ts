import type { Route } from '../config/schema.ts';

/** Picks the first route whose `match` (exact name or `*` glob) fits the model. */
export function createModelRouter(routes: readonly Route[]): (model: string) => Route | null {
  const compiled = routes.map((route) => ({ route, test: globTester(route.match) }));
  return (model) => compiled.find((entry) => entry.test(model))?.route ?? null;
}

function globTester(pattern: string): (value: string) => boolean {
  if (!pattern.includes('*')) return (value) => value === pattern;
  if (pattern === '*') return () => true;
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  // Only literal text between wildcards, anchored: linear in practice and never user-controlled at request time.
  const regex = new RegExp(`^${parts.join('.*')}$`, 's');
  return (value) => regex.test(value);
}
