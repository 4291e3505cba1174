import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, defaultConfig, parseConfigText } from './load.ts';

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): ConfigError['problems'] => {
  try {
    parseConfigText(text, 'test.yaml', env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('config loading', () => {
  it('fills defaults and the default policy for a minimal file', () => {
    const config = parseConfigText('providers:\n  - { id: a, type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }\nroutes:\n  - { match: "*", providers: [a] }\n', 't', {});
    assert.equal(config.server.port, 8700);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.policy.name, 'default');
    assert.ok(config.policy.scanners.some((scanner) => scanner.scanner === 'text/hidden-characters'));
    assert.equal(config.routes[0]?.retry.attempts, 1);
  });

  it('reports every problem with its path and line', () => {
    const problems = problemsOf('server:\n  port: 99999\n  bogus: 1\nroutes:\n  - { match: "*", providers: [] }\n');
    const byPath = new Map(problems.map((problem) => [problem.path, problem]));
    assert.equal(byPath.get('server.port')?.line, 2);
    assert.ok(byPath.has('server'), 'unknown key reported on its object');
    assert.equal(byPath.get('routes[0].providers')?.line, 5);
  });

  it('reports references to unknown providers and duplicate ids', () => {
    const problems = problemsOf('providers:\n  - { id: a, type: openai, baseUrl: "https://x.test/v1" }\n  - { id: a, type: openai, baseUrl: "https://y.test/v1" }\nroutes:\n  - { match: "*", providers: [a, nope] }\n');
    assert.ok(problems.some((problem) => problem.path === 'providers[1].id' && /duplicate/.test(problem.message)));
    assert.ok(problems.some((problem) => problem.path === 'routes[0].providers[1]' && /unknown provider "nope"/.test(problem.message) && problem.line === 5));
  });

  it('expands ${VAR} and reports a missing variable', () => {
    const text = 'providers:\n  - { id: a, type: openai-compatible, baseUrl: "${BASE}" }\n';
    assert.equal(parseConfigText(text, 't', { BASE: 'http://127.0.0.1:9/v1' }).providers[0]?.baseUrl, 'http://127.0.0.1:9/v1');
    assert.ok(problemsOf(text).some((problem) => /BASE is not set/.test(problem.message)));
  });

  it('reports YAML syntax errors with a line', () => {
    const problems = problemsOf('server:\n  port: [1, 2\n');
    assert.ok(problems[0]?.line !== undefined);
  });

  it('builds the zero-config setup from the environment', () => {
    const openaiOnly = defaultConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9000/v1/' });
    assert.equal(openaiOnly.providers[0]?.type, 'openai-compatible');
    assert.equal(openaiOnly.providers[0]?.baseUrl, 'http://127.0.0.1:9000/v1');
    assert.equal(openaiOnly.providers[0]?.apiKey, undefined);
    const both = defaultConfig({ OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant' });
    assert.equal(both.providers[0]?.type, 'openai');
    assert.deepEqual(both.providers[0]?.apiKey, { env: 'OPENAI_API_KEY' });
    assert.deepEqual(both.routes.map((route) => route.match), ['claude*', '*']);
  });
});
