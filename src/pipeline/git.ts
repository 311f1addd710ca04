/**
 * The commit a build ran on, and whether the working tree differed from it.
 * Build outputs (results, checkpoints, renders, the site) do not count as
 * changes: a build must not make the next one look "dirty".
 */
import { execFileSync } from 'node:child_process';

export interface GitState {
  commit: string | null;
  dirty: boolean | null;
}

export const BUILD_OUTPUTS = ['experiments', 'checkpoints', 'renders', 'dist', '.astro', 'data'];

export function gitState(root: string): GitState {
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git(['rev-parse', 'HEAD']);
    const status = git(['status', '--porcelain', '--', '.', ...BUILD_OUTPUTS.map((p) => `:(exclude)${p}`)]);
    return { commit, dirty: status.length > 0 };
  } catch {
    // Not a git checkout (e.g. a downloaded archive), or no commit yet.
    return { commit: null, dirty: null };
  }
}
