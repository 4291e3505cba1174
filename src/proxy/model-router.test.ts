import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Route } from '../config/schema.ts';
import { createModelRouter } from './model-router.ts';

describe('model router', () => {
  const resolve = createModelRouter(['gpt-4o', 'claude-*', '*-mini', 'a.b*'].map((match) => Route.parse({ match, providers: [match] })));
  const table: [string, string | null][] = [
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024', null],
    ['claude-3-haiku', 'claude-*'],
    ['o4-mini', '*-mini'],
    ['a.bc', 'a.b*'],
    ['aXbc', null],
  ];
  for (const [model, expected] of table) it(`${model} -> ${expected}`, () => assert.equal(resolve(model)?.match ?? null, expected));
});
