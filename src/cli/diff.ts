/**
 * `npm run diff -- [<rev-a> [<rev-b>]] [--json | --md] [--all]`
 *
 * Prints every metric of the results files (experiments/*.json) that differs
 * between two revisions: old, new and delta. Default: HEAD against the working
 * tree; with one revision, that revision against the working tree.
 */
import { parseArgs } from 'node:util';
import { InputError } from '../data/errors';
import { formatMarkdown, formatTable } from '../pipeline/diff';
import { diffRevisions, WORKING_TREE } from '../pipeline/revisions';
import { runCommand } from './main';

const HELP = `usage: npm run diff -- [<rev-a> [<rev-b>]] [--json | --md] [--all]

Compares the results files (experiments/*.json) of two git revisions.
  <rev-a>   the older side (default HEAD)
  <rev-b>   the newer side (default: the working tree)
  --json    machine-readable output
  --md      a Markdown table
  --all     include learning curves, per-region MSE and per-fold values
`;

await runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, md: { type: 'boolean', default: false }, all: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (e) {
    throw new InputError('command line', `${(e as Error).message.split('. To specify')[0]}; see npm run diff -- --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 2) throw new InputError('command line', `at most two revisions, got ${positionals.length}`);
  if (values.json && values.md) throw new InputError('command line', 'choose one of --json and --md');
  const [revA = 'HEAD', revB = WORKING_TREE] = positionals;
  const changes = diffRevisions(process.cwd(), revA, revB, { all: values.all ?? false });
  if (values.json) process.stdout.write(`${JSON.stringify({ from: revA, to: revB, changes }, null, 2)}\n`);
  else if (values.md) process.stdout.write(`Results: ${revA} → ${revB}\n\n${formatMarkdown(changes)}`);
  else process.stdout.write(`results: ${revA} → ${revB}\n${formatTable(changes)}`);
  return 0;
});
