import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..');

/** Starts a node process from the repository root and resolves once `healthUrl` answers; `onStdout` receives its stdout. */
export function startProcess(command: string[], env: NodeJS.ProcessEnv, healthUrl: string, onStdout?: (data: Buffer) => void): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
  if (onStdout) child.stdout!.on('data', onStdout);
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}: ${stderr}`)));
    const poll = (): void => {
      fetch(healthUrl).then(
        () => resolve(child),
        () => setTimeout(poll, 100),
      );
    };
    poll();
  });
}
