/** Results files as they were at a git revision, or as they are in the working tree. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../data/errors';
import { diffResults, type MetricChange } from './diff';

export const WORKING_TREE = 'working tree';

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

export function resolveRevision(root: string, rev: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
  } catch {
    throw new InputError(rev, `not a commit in ${root} (try a hash, a branch, a tag or HEAD~1)`);
  }
}

/** experiment id → parsed results file, at `rev` or (for WORKING_TREE) on disk. */
export function readResultsAt(root: string, rev: string, dir = 'experiments'): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (rev === WORKING_TREE) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) return out;
    for (const f of fs.readdirSync(full).filter((f) => f.endsWith('.json')).sort()) out.set(f.replace(/\.json$/, ''), parse(fs.readFileSync(path.join(full, f), 'utf8'), `${dir}/${f}`));
    return out;
  }
  const commit = resolveRevision(root, rev);
  const names = git(root, ['ls-tree', '--name-only', commit, `${dir}/`])
    .split('\n')
    .filter((f) => f.endsWith('.json'));
  for (const name of names.sort()) out.set(path.basename(name).replace(/\.json$/, ''), parse(git(root, ['show', `${commit}:${name}`]), `${rev}:${name}`));
  return out;
}

function parse(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(source, `not valid JSON (${(e as Error).message})`);
  }
}

/** Every metric that differs between the results files of two revisions. */
export function diffRevisions(root: string, revA: string, revB: string, opts: { all?: boolean; dir?: string } = {}): MetricChange[] {
  const a = readResultsAt(root, revA, opts.dir);
  const b = readResultsAt(root, revB, opts.dir);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  return ids.flatMap((id) => diffResults(id, a.get(id), b.get(id), opts));
}
