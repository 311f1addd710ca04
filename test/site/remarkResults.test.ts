/**
 * The :result directive on a small Markdown page and a hand-made results
 * object: values found and formatted, and a missing path stops with the page
 * and the path named.
 */
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { remarkResults } from '../../src/site/remark/results';
import { parseResultPath, resolveInObject } from '../../src/site/resultPath';

const files: Record<string, unknown> = {
  demo: {
    title: 'Demo',
    provenance: { seeds: [7, 8] },
    results: {
      stimuli: [{ id: 'a/clip_1' }, { id: 'a/clip_2' }, { id: 'b/x' }],
      featureSets: [
        { name: 'small', features: 23, models: [{ name: 'flat', r2: 0.123456, params: 28439 }, { name: 'dense', r2: -0.5, params: 0 }] },
        { name: 'large', features: 135, models: [{ name: 'flat', r2: 0.98765, params: 124929 }] },
      ],
      density: 0.19637860082304528,
      loss: 0.000123456,
    },
  },
};

function read(id: string): unknown {
  if (!(id in files)) throw new Error(`unexpected read of ${id}`);
  return files[id];
}

function render(markdown: string, page = '/repo/content/pages/demo.md'): string {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkResults, { read }).use(remarkRehype).use(rehypeStringify);
  return String(processor.processSync(new VFile({ path: page, value: markdown }))).trim();
}

describe('results paths', () => {
  it('select list elements by a field, count lists, and fall back to the top level', () => {
    const root = files.demo;
    expect(resolveInObject(root, parseResultPath('demo.featureSets[name=large].models[name=flat].r2'))).toBe(0.98765);
    expect(resolveInObject(root, parseResultPath('demo.featureSets[features=23].models[name=dense].params'))).toBe(0);
    expect(resolveInObject(root, parseResultPath('demo.stimuli[id=a/clip_2].id'))).toBe('a/clip_2');
    expect(resolveInObject(root, parseResultPath('demo.stimuli.length'))).toBe(3);
    expect(resolveInObject(root, parseResultPath('demo.provenance.seeds.length'))).toBe(2);
    expect(resolveInObject(root, parseResultPath('demo.title'))).toBe('Demo');
  });

  it('refuses positions and malformed paths', () => {
    expect(() => parseResultPath('demo.featureSets[0].features')).toThrow(/not by position/);
    expect(() => parseResultPath('demo')).toThrow(/whole file/);
    expect(() => parseResultPath('Demo.x')).toThrow(/results file id/);
  });
});

describe(':result directive', () => {
  it('replaces each directive by the formatted value', () => {
    const out = render(
      [
        'R² :result{path="demo.featureSets[name=small].models[name=flat].r2" digits=3},',
        'large :result{path="demo.featureSets[name=large].models[name=flat].r2" digits=2},',
        'default :result{path="demo.featureSets[name=small].models[name=flat].r2"},',
        ':result{path="demo.featureSets[name=large].models[name=flat].params"} parameters,',
        'density :result{path="demo.density" format=percent},',
        'loss :result{path="demo.loss" format=exp digits=2},',
        ':result{path="demo.stimuli.length"} stimuli, first :result{path="demo.stimuli[id=a/clip_1].id"}.',
      ].join(' '),
    );
    expect(out).toBe('<p>R² 0.123, large 0.99, default 0.123, 124,929 parameters, density 19.6%, loss 1.23e-4, 3 stimuli, first a/clip_1.</p>');
  });

  it('works inside emphasis, links and tables', () => {
    const out = render('| a | b |\n|---|---|\n| **:result{path="demo.featureSets[name=small].features"}** | [x :result{path="demo.featureSets[name=large].features"}](http://e.org) |');
    expect(out).toContain('<td><strong>23</strong></td>');
    expect(out).toContain('<a href="http://e.org">x 135</a>');
  });

  it('puts other text directives back as text', () => {
    expect(render('ratio a:b and note:this')).toBe('<p>ratio a:b and note:this</p>');
  });

  it('stops with the page, line and path when the path names nothing', () => {
    const bad = 'intro\n\nfinal :result{path="demo.featureSets[name=huge].models[name=flat].r2"}';
    expect(() => render(bad)).toThrow('content/pages/demo.md:3: :result path "demo.featureSets[name=huge].models[name=flat].r2": demo.featureSets has no element with name=huge (have: small, large)');
    expect(() => render(':result{path="demo.featureSets[name=small].models[name=flat].r3"}')).toThrow(/content\/pages\/demo\.md:1: :result path "demo\.featureSets\[name=small\]\.models\[name=flat\]\.r3": .*has no "r3"/);
    expect(() => render(':result{path="demo.featureSets"}')).toThrow(/is a list, not a value/);
    expect(() => render(':result{path="demo.density" digits=x}')).toThrow(/digits must be an integer/);
    expect(() => render(':result{path="demo.density" unit=s}')).toThrow(/unknown attribute "unit"/);
    expect(() => render('text\n\n::result{path="demo.density"}')).toThrow('content/pages/demo.md:3: write :result with one colon, inside a sentence');
  });
});
