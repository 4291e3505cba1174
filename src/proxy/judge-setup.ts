/**
 * Wiring checks for the LLM judge: the judge model must be routed, and every scanner instance that
 * asks the judge must give the whole scan more time than one judge call (`judge.timeoutMs`).
 * A judge-using instance without a `judge` section fails in its scanner's create(), naming judge.model.
 */
import type { Config, ScannerInstance } from '../config/schema.ts';
import { usesJudge } from '../scanners/shared/judge.ts';
import type { BuildProblem } from '../scanners/runner.ts';
import { createModelRouter } from './model-router.ts';

export function judgeProblems(config: Config, instances: readonly ScannerInstance[]): BuildProblem[] {
  const problems: BuildProblem[] = [];
  const judge = config.judge;
  if (!judge) return problems;
  if (createModelRouter(config.routes)(judge.model) === null) {
    problems.push({ path: 'judge.model', message: `no route serves model "${judge.model}"; expected a model matched by one of routes[].match` });
  }
  instances.forEach((settings, index) => {
    if (!settings.enabled || !usesJudge(settings.scanner, settings.config)) return;
    if (judge.timeoutMs >= settings.timeoutMs) {
      problems.push({
        path: `policy.scanners[${index}].timeoutMs`,
        message: `judge.timeoutMs (${judge.timeoutMs}) must be below this instance's timeoutMs (${settings.timeoutMs}), which bounds the whole scan including the judge call; raise timeoutMs or lower judge.timeoutMs`,
      });
    }
  });
  return problems;
}
