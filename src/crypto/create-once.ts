import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Creates `path` with `content` unless it exists, atomically: the content is written to a private
 * temporary file first and hard-linked into place, so a process racing to create the same file
 * (several gateways sharing a data directory) either wins or finds the complete file, never a
 * half-written one. Returns true when this call created it.
 */
export function createFileOnce(path: string, content: string, mode: number): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode, flag: 'wx' });
  chmodSync(temporary, mode);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}
