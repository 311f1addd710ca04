import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMontage } from '../../src/data/montage';
import { DATA, expectInputError, tempDir } from './helpers';

function montageFile(text: string): string {
  const p = path.join(tempDir('montage-test'), 'm.tsv');
  writeFileSync(p, text);
  return p;
}

describe('montage: the fsaverage 10-20 positions', () => {
  const m = loadMontage(`${DATA}/eeg/fsaverage_1020.tsv`);

  it('has 21 electrodes and 3 fiducials', () => {
    expect(m.length).toBe(24);
    expect(m.filter((e) => e.fiducial).map((e) => e.label)).toEqual(['LPA', 'RPA', 'NAS']);
    expect(m.filter((e) => !e.fiducial).map((e) => e.label)).toEqual(
      'Fp1 Fpz Fp2 F7 F3 Fz F4 F8 T7 C3 Cz C4 T8 P7 P3 Pz P4 P8 O1 Oz O2'.split(' '),
    );
  });

  it('converts metres to millimetres (Cz)', () => {
    const cz = m.find((e) => e.label === 'Cz')!;
    expect(cz.x).toBeCloseTo(-0.1033324215976, 9);
    expect(cz.y).toBeCloseTo(-22.3617287453268, 9);
    expect(cz.z).toBeCloseTo(104.808602517519, 9);
    expect(cz.fiducial).toBe(false);
    const nas = m.find((e) => e.label === 'NAS')!;
    expect(nas.y).toBeCloseTo(85.7120972834004, 9);
  });
});

describe('montage: bad inputs', () => {
  it('a non-numeric coordinate names the line', () => {
    const p = montageFile('label\tx\ty\tz\nCz\t0\t0\t0.1\nPz\t0\tabc\t0.07\n');
    expectInputError(() => loadMontage(p), p, 'line 3: y coordinate "abc" of Pz is not a number');
    const q = montageFile('Cz\t0\t\t0.1\n');
    expectInputError(() => loadMontage(q), q, 'line 1: y coordinate "" of Cz is not a number');
  });

  it('a wrong number of fields, a repeated label, no electrodes', () => {
    const p = montageFile('label\tx\ty\tz\r\nCz 0 0 0.1\r\n');
    expectInputError(() => loadMontage(p), p, /line 2: expected 4 tab-separated fields \(label x y z\), found 1/);
    const q = montageFile('Cz\t0\t0\t0.1\n\nCz\t0\t0\t0.1\n');
    expectInputError(() => loadMontage(q), q, /line 3: electrode Cz is listed twice/);
    const r = montageFile('label\tx\ty\tz\n');
    expectInputError(() => loadMontage(r), r, /no electrodes found/);
  });

  it('missing file and directory', () => {
    const dir = tempDir('montage-test');
    mkdirSync(path.join(dir, 'eeg.tsv'));
    expectInputError(() => loadMontage(path.join(dir, 'none.tsv')), path.join(dir, 'none.tsv'), /not found/);
    expectInputError(() => loadMontage(path.join(dir, 'eeg.tsv')), path.join(dir, 'eeg.tsv'), /is a directory/);
  });
});
