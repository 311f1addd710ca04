/**
 * Replacing a whole output folder (the built site) so that a killed or failed
 * build never leaves a half-written one: the new folder is built beside the old
 * one under a temporary name and swapped in by two renames. If the process dies
 * between the renames, the next run finds `<name>.old-<pid>-…` without `<name>`
 * and puts it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './atomic';

const TEMP = /^(.*)\.(tmp|old)-(\d+)-[a-z0-9]+$/;

/** A fresh temporary path beside `target`, named after this process. */
export function tempSibling(target: string, kind: 'tmp' | 'old' = 'tmp'): string {
  return `${target}.${kind}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Cleans up after a killed run: restores `target` from an `.old-` folder if the swap
 * was cut between its two renames, and removes temporaries whose process is gone.
 * Returns what it did, for the log.
 */
export function recoverInterrupted(target: string): { restored: boolean; removed: number } {
  const dir = path.dirname(target);
  const name = path.basename(target);
  if (!fs.existsSync(dir)) return { restored: false, removed: 0 };
  let restored = false;
  let removed = 0;
  const leftovers = fs
    .readdirSync(dir)
    .map((entry) => ({ entry, m: TEMP.exec(entry) }))
    .filter((x) => x.m && x.m[1] === name && !isProcessAlive(Number(x.m[3])));
  // An old copy without a current one: the swap was interrupted after its first rename.
  const old = leftovers.find((x) => x.m![2] === 'old');
  if (old && !fs.existsSync(target)) {
    fs.renameSync(path.join(dir, old.entry), target);
    restored = true;
  }
  for (const x of leftovers) {
    const p = path.join(dir, x.entry);
    if (fs.existsSync(p)) {
      fs.rmSync(p, { recursive: true, force: true });
      removed++;
    }
  }
  return { restored, removed };
}

/** Puts the finished folder `built` at `target`, replacing what was there. */
export function swapInto(built: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(built, target);
    return;
  }
  const old = tempSibling(target, 'old');
  fs.renameSync(target, old);
  try {
    fs.renameSync(built, target);
  } catch (e) {
    fs.renameSync(old, target);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
