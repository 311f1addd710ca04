/**
 * `npm run data -- [--data DIR] [--manifest FILE] [--only PREFIX[,PREFIX…]] [--json]`
 *
 * Fills a data folder with the files listed in the manifest, verifying sizes and
 * sha256. Files already present and intact are skipped, so it is safe to re-run.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { InputError } from '../data/errors';
import { fetchData, type FetchEvent } from '../data/fetch';
import { loadManifest, manifestHash, type Manifest } from '../data/manifest';
import { runCommand } from './main';
import { parseArgs, resolveDataDir, resolveManifestPath, USAGE } from './args';

const HELP = `usage: npm run data -- [--data DIR] [--manifest FILE] [--only PREFIX[,PREFIX...]] [--json]

Downloads every file of the manifest into the data folder, checking size and sha256.
  --data DIR       data folder (default: $BRAIN_DATA_DIR, else ./data)
  --manifest FILE  data manifest (default: ./data.manifest.json)
  --only PREFIXES  only files whose manifest path starts with one of these (comma-separated)
  --json           print the report as JSON on stdout (progress goes to stderr)
`;

interface Reporter {
  onEvent(e: FetchEvent): void;
  stop(): void;
}

function eventLine(e: FetchEvent): string | null {
  const pos = `[${e.index}/${e.total}]`;
  switch (e.type) {
    case 'fetched':
      return `${pos} fetched ${e.path} (${e.bytes} bytes)`;
    case 'skipped':
      return `${pos} skipped ${e.path} (already verified)`;
    case 'retry':
      return `${pos} retrying ${e.path} after attempt ${e.attempt}: ${e.reason}`;
    case 'failed':
      return `${pos} FAILED ${e.path}: ${e.reason}`;
    default:
      return null;
  }
}

function plainReporter(out: NodeJS.WritableStream): Reporter {
  return {
    onEvent(e) {
      const line = eventLine(e);
      if (line) out.write(line + '\n');
    },
    stop() {},
  };
}

function barReporter(): Reporter {
  const multi = new cliProgress.MultiBar(
    {
      format: ' {bar} {percentage}% | {value}/{total} bytes | {file}',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  const drop = () => {
    if (bar) multi.remove(bar);
    bar = undefined;
  };
  return {
    onEvent(e) {
      if (e.type === 'start') {
        drop();
        bar = multi.create(e.bytes, 0, { file: e.path });
      } else if (e.type === 'progress') {
        bar?.update(e.received);
      } else {
        if (e.type !== 'retry') drop();
        const line = eventLine(e);
        if (line) {
          multi.log(line + '\n');
          multi.update(); // flush the log now, not at the next redraw
        }
      }
    },
    stop() {
      drop();
      multi.stop();
    },
  };
}

function selectFiles(manifest: Manifest, only: string | undefined): Manifest {
  if (!only) return manifest;
  const prefixes = only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const files = manifest.files.filter((f) => prefixes.some((p) => f.path.startsWith(p)));
  if (files.length === 0) {
    throw new InputError('--only', `no manifest file path starts with ${prefixes.map((p) => `'${p}'`).join(' or ')}`);
  }
  return { ...manifest, files };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.retrain || args.md || args.skipSite || args.definitions || args.out || args.checkpoints) {
    throw new InputError('command line', `--retrain, --md, --skip-site, --definitions, --out and --checkpoints do not apply to the data command; ${USAGE}`);
  }
  const dataDir = resolveDataDir(args);
  const manifestPath = resolveManifestPath(args);
  const fullManifest = loadManifest(manifestPath);
  const manifest = selectFiles(fullManifest, args.only);

  const progressOut = args.json ? process.stderr : process.stdout;
  const reporter = (progressOut as NodeJS.WriteStream).isTTY ? barReporter() : plainReporter(progressOut);
  const rel = path.relative(process.cwd(), manifestPath);
  const shownManifest = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : manifestPath;
  progressOut.write(`data folder ${dataDir} (${manifest.files.length} files from ${shownManifest})\n`);
  let report;
  try {
    report = await fetchData(manifest, dataDir, { onProgress: (e) => reporter.onEvent(e) });
  } finally {
    reporter.stop();
  }
  if (args.json) {
    const out = { dataDir, manifest: manifestPath, manifestHash: manifestHash(fullManifest), ...report };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(`done: ${report.downloaded.length} fetched, ${report.skipped.length} already present\n`);
  }
  return 0;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) await runCommand(() => main(process.argv.slice(2)));
