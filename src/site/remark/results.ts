/**
 * The remark plugin that binds prose to results: `:result{path="…" digits=3}`
 * is replaced at build time by the value the path names (see ../resultPath.ts).
 * A path that names nothing stops the build with the page and the path:
 *
 *   content/pages/exp2.md: :result path "exp2.featureSets[name=roi999]…": exp2.featureSets has no element with name=roi999
 *
 * Use it after `remark-directive`. Other text directives (a stray `:word` in
 * prose) are put back as the text they were written as.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Root, PhrasingContent } from 'mdast';
import type { TextDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { type FormatOptions, ResultPathError, formatResult, readResultsJson, resolveResultPath } from '../resultPath';
import { RESULTS_DIR } from '../results';

export interface RemarkResultsOptions {
  /** Where results come from; tests pass a hand-made object. Default: the results files on disk. */
  read?: (id: string) => unknown;
  /**
   * Not read by the plugin. Astro keys its content cache on the config, plugin
   * options included: passing `resultsDigest()` here makes a changed results
   * file re-render every Markdown page that the cache would otherwise reuse.
   */
  resultsDigest?: string;
}

/** sha256 over the results files (names and bytes), for `RemarkResultsOptions.resultsDigest`. */
export function resultsDigest(dir = RESULTS_DIR): string {
  const hash = crypto.createHash('sha256');
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) hash.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  }
  return hash.digest('hex');
}

const ATTRIBUTES = new Set(['path', 'digits', 'format']);
const FORMATS = new Set(['int', 'percent', 'exp', 'fixed']);

export class ResultDirectiveError extends Error {
  constructor(
    readonly page: string,
    readonly detail: string,
  ) {
    super(`${page}: ${detail}`);
    this.name = 'ResultDirectiveError';
  }
}

function pageName(file: VFile): string {
  const p = file.path ?? file.history?.[0];
  return p ? path.relative(process.cwd(), p) || p : '(markdown)';
}

/** The text a directive was written as, for directives that are not ours. */
function asText(node: TextDirective): string {
  const inner = node.children.map((c) => ('value' in c ? String(c.value) : '')).join('');
  return `:${node.name}${node.children.length ? `[${inner}]` : ''}`;
}

export function remarkResults(options: RemarkResultsOptions = {}) {
  const read = options.read ?? readResultsJson;
  return (tree: Root, file: VFile) => {
    const page = pageName(file);
    // `::result` on its own line would be dropped silently by the HTML step: refuse it.
    visit(tree, (node) => {
      if ((node.type === 'leafDirective' || node.type === 'containerDirective') && (node as { name?: string }).name === 'result') {
        throw new ResultDirectiveError(`${page}${node.position ? `:${node.position.start.line}` : ''}`, 'write :result with one colon, inside a sentence');
      }
    });
    visit(tree, 'textDirective', (node: TextDirective, index, parent) => {
      if (!parent || index === undefined) return;
      if (node.name !== 'result') {
        parent.children.splice(index, 1, { type: 'text', value: asText(node) } as PhrasingContent);
        return;
      }
      const where = node.position ? `:${node.position.start.line}` : '';
      const attrs = node.attributes ?? {};
      const fail = (detail: string): never => {
        throw new ResultDirectiveError(`${page}${where}`, detail);
      };
      for (const key of Object.keys(attrs)) if (!ATTRIBUTES.has(key)) fail(`:result has an unknown attribute "${key}" (known: path, digits, format)`);
      const resultPath = attrs.path;
      if (!resultPath) fail(':result needs a path, e.g. :result{path="exp2.featureSets[name=roi135].features"}');
      const opts: FormatOptions = {};
      if (attrs.digits != null) {
        const d = Number(attrs.digits);
        if (!Number.isInteger(d) || d < 0 || d > 12) fail(`:result path "${resultPath}": digits must be an integer from 0 to 12, not "${attrs.digits}"`);
        opts.digits = d;
      }
      if (attrs.format != null) {
        if (!FORMATS.has(attrs.format)) fail(`:result path "${resultPath}": unknown format "${attrs.format}" (known: ${[...FORMATS].join(', ')})`);
        opts.format = attrs.format as FormatOptions['format'];
      }
      try {
        const value = formatResult(resolveResultPath(resultPath!, read), opts, resultPath!);
        parent.children.splice(index, 1, { type: 'text', value } as PhrasingContent);
      } catch (e) {
        if (e instanceof ResultPathError) fail(`:result path "${resultPath}": ${e.reason}`);
        throw e;
      }
    });
  };
}

export default remarkResults;
