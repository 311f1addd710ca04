/**
 * No number in the prose is typed by hand: in content/pages/*.md, outside the
 * front matter, code spans and :result directives, the only digits allowed are
 * in names (TRIBE v2, fsaverage5, V1, V2/V4, 10-20, aparc.a2009s, CC BY-NC 4.0)
 * experiment names (Experiment 2) and citation years.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support';

const NAMES = [/TRIBE v2/g, /fsaverage5/g, /\bV1\b/g, /V2\/V4/g, /\b10-20\b/g, /aparc\.a2009s/g, /CC BY-NC 4\.0/g, /BSD-3-Clause/g, /sha256/g, /Experiments? \d/g, /et al\., \d{4}/g];

function handTypedNumbers(markdown: string): string[] {
  let body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  body = body.replace(/:result\{[^}]*\}/g, ' ').replace(/`[^`]*`/g, ' ');
  for (const name of NAMES) body = body.replace(name, ' ');
  return body.match(/[^\s]*\d[^\s]*/g) ?? [];
}

describe('prose numbers', () => {
  it('finds typed numbers (so the check can fail)', () => {
    expect(handTypedNumbers('---\ntitle: x\norder: 1\n---\nWe trained 3 models, R² 0.825, on `exp2.yaml` with :result{path="exp2.stimuli.length"} stimuli (TRIBE v2).')).toEqual(['3', '0.825,']);
  });

  const dir = path.join(REPO_ROOT, 'content/pages');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    it(`content/pages/${file} has no number typed by hand`, () => {
      expect(handTypedNumbers(fs.readFileSync(path.join(dir, file), 'utf8'))).toEqual([]);
    });
  }
});
