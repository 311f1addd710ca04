/**
 * Non-file inputs for every reader: a folder, a FIFO (which would block a plain
 * read forever), a missing file, and a file over the size limit. Each is refused
 * with an InputError naming the path, before anything is read.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGifti } from '../../src/data/gifti';
import { readInputFile } from '../../src/data/io';
import { loadManifest } from '../../src/data/manifest';
import { loadMontage } from '../../src/data/montage';
import { loadNpy } from '../../src/data/npy';
import { loadNpz, loadNpzArray } from '../../src/data/npz';
import { loadDefinition } from '../../src/pipeline/definition';
import { DATA, expectInputError, tempDir } from './helpers';

const readers: Array<[string, (p: string) => unknown]> = [
  ['loadNpy', loadNpy],
  ['loadNpz', loadNpz],
  ['loadNpzArray', (p) => loadNpzArray(p, 'preds')],
  ['loadGifti', loadGifti],
  ['loadMontage', loadMontage],
  ['loadManifest', loadManifest],
  ['loadDefinition', loadDefinition],
];

describe('non-file inputs', () => {
  const dir = tempDir('io');
  const fifo = path.join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const folder = path.join(dir, 'folder');
  fs.mkdirSync(folder);

  for (const [name, read] of readers) {
    it(`${name}: a FIFO, a folder and a missing file`, () => {
      expectInputError(() => read(fifo), `${fifo}: is a FIFO (named pipe), expected a regular file`);
      expectInputError(() => read(folder), folder, /is a directory|found a folder/);
      expectInputError(() => read(path.join(dir, 'nothing')), path.join(dir, 'nothing'), /not found/);
    });
  }

  it('refuses a file over the size limit from its size alone', () => {
    const file = path.join(DATA, 'tribev2/aniketmallick/pred_A.npy');
    expectInputError(() => readInputFile(file, 1000), `${file}: too large: 2785952 bytes, more than the 1000 bytes an input file may have`);
    expect(readInputFile(file).length).toBe(2785952);
  });
});
