/**
 * The claims check on hand-made results and claims files: holds within the
 * tolerance, fails outside it, "awaiting" only while the results file is
 * absent, and a path that names nothing stops with the file, line and path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claims-'));
const resultsDir = path.join(work, 'experiments');
fs.mkdirSync(resultsDir);
fs.writeFileSync(path.join(resultsDir, 'demo.json'), JSON.stringify({ results: { models: [{ name: 'a', r2: 0.81, params: 100 }], density: 0.19637 } }));

let checkClaims: typeof import('../../src/site/claims').checkClaims;

beforeAll(async () => {
  process.env.RESULTS_DIR = resultsDir;
  ({ checkClaims } = await import('../../src/site/claims'));
});

function claimsFile(body: string): string {
  const file = path.join(work, `claims-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, body);
  return file;
}

describe('claims check', () => {
  it('compares each claim with the reproduced value within its tolerance', () => {
    const file = claimsFile(`claims:
  - { claim: r2 close, study: 0.825, tolerance: 0.02, digits: 3, path: "demo.models[name=a].r2" }
  - { claim: r2 strict, study: 0.825, tolerance: 0.01, digits: 3, path: "demo.models[name=a].r2" }
  - { claim: params, study: 100, tolerance: 0, format: int, path: "demo.models[name=a].params" }
  - { claim: density, study: 0.196, tolerance: 0.0005, format: percent, path: demo.density }
  - { claim: later, study: 0.5, tolerance: 0.1, awaiting: exp9 }
  - { claim: never, study: 72, tolerance: 0, notReproduced: other stimuli }
`);
    const claims = checkClaims(file);
    expect(claims.map((c) => c.status)).toEqual(['holds', 'does not hold', 'holds', 'holds', 'awaiting', 'not reproduced']);
    expect(claims[0].reproducedText).toBe('0.810');
    expect(claims[0].studyText).toBe('0.825');
    expect(claims[0].difference).toBeCloseTo(-0.015, 12);
    expect(claims[3].reproducedText).toBe('19.6%');
    expect(claims[4].reproduced).toBeUndefined();
  });

  it('refuses "awaiting" once the results file exists', () => {
    const file = claimsFile('claims:\n  - { claim: x, study: 1, tolerance: 0, awaiting: demo }\n');
    expect(() => checkClaims(file)).toThrow(/claims-.*\.yaml:2: claims\[0\] \("x"\) awaits demo, but experiments\/demo\.json exists/);
  });

  it('stops on a path that names nothing, with the file, line and path', () => {
    const file = claimsFile('claims:\n  - claim: ok\n    study: 1\n    tolerance: 0\n    path: "demo.models[name=a].params"\n  - claim: bad\n    study: 1\n    tolerance: 0\n    path: "demo.models[name=b].params"\n');
    expect(() => checkClaims(file)).toThrow(/\.yaml:9: claims\[1\]\.path: results path "demo\.models\[name=b\]\.params": demo\.models has no element with name=b \(have: a\)/);
  });

  it('checks the claims file against its schema', () => {
    expect(() => checkClaims(claimsFile('claims:\n  - { claim: x, study: 1, tolerance: -1, path: demo.density }\n'))).toThrow(/:2: claims\[0\]\.tolerance/);
    expect(() => checkClaims(claimsFile('claims:\n  - { claim: x, study: 1, tolerance: 0 }\n'))).toThrow(/give exactly one of path, awaiting, notReproduced/);
    expect(() => checkClaims(claimsFile('claims:\n  - { claim: x, study: 1, tolerance: 0, path: demo.density, extra: 1 }\n'))).toThrow(/unknown field\(s\) extra/);
  });

});
