import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, localManifest, PROJECT_ROOT, sharedBytes, startServer, SUBSET, tmpDir, removeTmpDirs, type TestServer } from './helpers';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the data command asynchronously (the test server lives in this process). */
function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, ...env };
    if (!('BRAIN_DATA_DIR' in env)) delete childEnv.BRAIN_DATA_DIR;
    const child = spawn('npx', ['tsx', 'src/cli/data.ts', ...args], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let server: TestServer;
let manifestFile: string;
beforeAll(async () => {
  server = await startServer();
  manifestFile = path.join(tmpDir('fetch-cli-'), 'local.manifest.json');
  writeFileSync(manifestFile, JSON.stringify(localManifest(server.url), null, 1));
});
afterAll(async () => {
  await server.close();
  await removeTmpDirs();
});

describe('npm run data (src/cli/data.ts)', () => {
  it('fetches into --data with plain progress lines, then skips on a second run', async () => {
    const dir = tmpDir();
    const r = await runCli(['--data', dir, '--manifest', manifestFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const fetched = lines.filter((l) => l.includes(' fetched '));
    expect(fetched).toHaveLength(SUBSET.length);
    expect(fetched).toContain('[4/6] fetched fsaverage5/sulc_left.gii.gz (38996 bytes)');
    for (const l of fetched) expect(l).toMatch(/^\[\d\/6\] fetched \S+ \(\d+ bytes\)$/);
    expect(r.stdout).not.toContain('\x1b['); // no terminal control codes when not a TTY
    expect(lines.at(-1)).toBe('done: 6 fetched, 0 already present');
    expect(await listFiles(dir)).toEqual([...SUBSET].sort());
    for (const p of SUBSET) expect(readFileSync(path.join(dir, p)).equals(sharedBytes(p))).toBe(true);

    const again = await runCli(['--manifest', manifestFile], { BRAIN_DATA_DIR: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('[4/6] skipped fsaverage5/sulc_left.gii.gz (already verified)');
    expect(again.stdout.trim().split('\n').at(-1)).toBe('done: 0 fetched, 6 already present');
  });

  it('a bad manifest exits 1 with a one-line error and no stack trace', async () => {
    const bad = path.join(tmpDir('fetch-cli-'), 'bad.manifest.json');
    const json = JSON.parse(readFileSync(manifestFile, 'utf8'));
    json.files[2].sha256 = 'not-a-hash';
    writeFileSync(bad, JSON.stringify(json));
    const r = await runCli(['--data', tmpDir(), '--manifest', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${bad}: files[2].sha256: expected 64 hex characters\n`);
    expect(r.stderr).not.toContain('    at ');
  });

  it('download failures and unknown flags exit 1 without a stack trace', async () => {
    const json = JSON.parse(readFileSync(manifestFile, 'utf8'));
    json.files[0].url = `${server.url}/no/such/file`;
    const broken = path.join(tmpDir('fetch-cli-'), 'broken.manifest.json');
    writeFileSync(broken, JSON.stringify(json));
    const dir = tmpDir();
    const r = await runCli(['--data', dir, '--manifest', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*no\/such\/file: 1 of 6 data files could not be fetched/);
    expect(r.stderr).toContain('HTTP 404');
    expect(r.stderr).not.toContain('    at ');
    expect(await listFiles(dir)).toEqual(SUBSET.slice(1).sort());

    const u = await runCli(['--bogus']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/^error: command line: Unknown option '--bogus'/);
    expect(u.stderr).not.toContain('    at ');
  });
});
