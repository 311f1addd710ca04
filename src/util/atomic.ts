/** Writes a file so that readers see the old content or the new, never a part. */
import fs from 'node:fs';
import path from 'node:path';

/** Writes a file and flushes it to disk before returning (the step before a rename into place). */
export function writeFileSynced(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether the process that named a temporary file is still running (this one
 * counts; EPERM means it runs under another user): its temporaries are not stale.
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSynced(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes `<file>.<pid>.<random>.tmp` files in `dir` left by writeFileAtomic in a process that was killed. */
export function removeStaleTempFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let removed = 0;
  for (const entry of fs.readdirSync(dir)) {
    const m = /\.(\d+)\.[a-z0-9]+\.tmp$/.exec(entry);
    if (m && !isProcessAlive(Number(m[1]))) {
      fs.rmSync(path.join(dir, entry), { force: true });
      removed++;
    }
  }
  return removed;
}
