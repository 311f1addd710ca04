/** Command-line options shared by the project's commands (data, pipeline, build). */
import path from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { InputError } from '../data/errors';

export interface CliArgs {
  /** data folder (see resolveDataDir) */
  data?: string;
  /** manifest file */
  manifest?: string;
  retrain: boolean;
  only?: string;
  json: boolean;
  md: boolean;
  help: boolean;
  /** experiment definitions folder (build) */
  definitions?: string;
  /** results folder (build) */
  out?: string;
  /** write results only (build) */
  skipSite: boolean;
  /** checkpoint folder (build) */
  checkpoints?: string;
  /** own TRIBE v2 export: a folder of .npy/.npz predictions with a stimuli.json (build) */
  predictions?: string;
  /** worker threads for training (build) */
  workers?: number;
  /** revision the site compares this build's results with (build) */
  baseline?: string;
  /** do not run the render stage (build) */
  skipRenders: boolean;
}

export const USAGE =
  'options: --data DIR  --manifest FILE  --definitions DIR  --out DIR  --checkpoints DIR  --predictions DIR  --workers N  --baseline REV  --skip-site  --skip-renders  --retrain  --only NAME  --json  --md  --help';

const options = {
  data: { type: 'string' },
  manifest: { type: 'string' },
  retrain: { type: 'boolean', default: false },
  only: { type: 'string' },
  json: { type: 'boolean', default: false },
  md: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  definitions: { type: 'string' },
  out: { type: 'string' },
  'skip-site': { type: 'boolean', default: false },
  'skip-renders': { type: 'boolean', default: false },
  checkpoints: { type: 'string' },
  predictions: { type: 'string' },
  workers: { type: 'string' },
  baseline: { type: 'string' },
} as const;

/**
 * Parse `argv` (without the node and script entries, i.e. `process.argv.slice(2)`).
 * Unknown flags, missing values and stray arguments become an InputError.
 */
export function parseArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = nodeParseArgs({ args: argv, options, allowPositionals: false, strict: true }));
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      // node's messages are fine but mention "To specify a positional argument..." hints; keep the first sentence
      const msg = (e as Error).message.split('. To specify')[0].replace(/\.$/, '');
      throw new InputError('command line', `${msg}; ${USAGE}`);
    }
    throw e;
  }
  for (const k of ['data', 'manifest', 'only', 'definitions', 'out', 'checkpoints', 'predictions', 'workers', 'baseline'] as const) {
    if (values[k] !== undefined && values[k].trim() === '') {
      throw new InputError('command line', `--${k} needs a non-empty value`);
    }
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0) throw new InputError('command line', `--workers needs a whole number (0 trains in the main thread), got "${values.workers}"`);
  }
  return {
    workers,
    baseline: values.baseline,
    data: values.data,
    manifest: values.manifest,
    retrain: values.retrain ?? false,
    only: values.only,
    json: values.json ?? false,
    md: values.md ?? false,
    help: values.help ?? false,
    definitions: values.definitions,
    out: values.out,
    skipSite: values['skip-site'] ?? false,
    skipRenders: values['skip-renders'] ?? false,
    checkpoints: values.checkpoints,
    predictions: values.predictions,
  };
}

/** The data folder, absolute: `--data`, else env BRAIN_DATA_DIR, else ./data. */
export function resolveDataDir(
  values: Pick<CliArgs, 'data'>,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const fromEnv = env.BRAIN_DATA_DIR?.trim();
  const dir = values.data ?? (fromEnv ? fromEnv : 'data');
  return path.resolve(cwd, dir);
}

/** The manifest file, absolute: `--manifest`, else ./data.manifest.json. */
export function resolveManifestPath(values: Pick<CliArgs, 'manifest'>, cwd: string = process.cwd()): string {
  return path.resolve(cwd, values.manifest ?? 'data.manifest.json');
}
