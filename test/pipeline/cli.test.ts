/** The build command as a user runs it: clear one-line errors, exit codes, progress lines. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/pipeline/progress';
import { REPO_ROOT, SHARED_DATA } from '../support';

function build(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'src/cli/build.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CI: '1', ...env },
    encoding: 'utf8',
  });
}

describe('npm run build (command line)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const out = path.join(work, 'results');

  it('an unknown model kind: exit 1, the file, line and field named, no stack trace, nothing written', () => {
    const defs = path.join(work, 'defs');
    fs.mkdirSync(defs);
    const text = fs.readFileSync(path.join(REPO_ROOT, 'content/experiments/exp2.yaml'), 'utf8').replace('kind: flat', 'kind: mlp');
    fs.writeFileSync(path.join(defs, 'exp2.yaml'), text);
    const r = build(['--data', SHARED_DATA, '--definitions', defs, '--out', out, '--skip-site']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*exp2\.yaml: invalid experiment definition/);
    expect(r.stderr).toMatch(/exp2\.yaml:\d+: models\[3\]\.kind: unknown model kind "mlp"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a data folder that does not exist: says how to fill it', () => {
    const r = build(['--data', path.join(work, 'nothing-here'), '--out', out, '--skip-site'], { BRAIN_DATA_DIR: '' });
    // Nothing can be downloaded on a machine without internet: the fetch fails with the URLs named.
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*nothing-here: 29 of 29 data files could not be downloaded/);
    expect(r.stderr).toMatch(/pass --data DIR or set BRAIN_DATA_DIR/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  }, 120_000);

  it('an unknown flag is refused with the usage', () => {
    const r = build(['--frobnicate']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Unknown option '--frobnicate'.*--data DIR/);
  });
});

describe('progress display', () => {
  function fakeStream(tty: boolean) {
    const chunks: string[] = [];
    return { stream: { isTTY: tty, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream, chunks };
  }

  it('prints plain lines with model, step, loss and R² when not on a terminal', () => {
    const { stream, chunks } = fakeStream(false);
    const task = createProgress(stream).task('roi135 cortical seed 42', 200);
    task.update(1, { loss: 0.5 });
    task.update(10, { loss: 0.0123, valR2: 0.4567 });
    task.done('final val R² 0.4567');
    expect(chunks).toEqual(['roi135 cortical seed 42 step 10/200 loss 1.230e-2 val R² 0.4567\n', 'roi135 cortical seed 42: final val R² 0.4567\n']);
  });
});
