/**
 * Progress for long work: a live bar on a terminal, plain lines otherwise (CI
 * logs, files), so a log shows how training went without control characters.
 */
import cliProgress from 'cli-progress';

export interface TaskProgress {
  update(step: number, info: { loss: number; valR2?: number }): void;
  done(summary: string): void;
}

export interface Progress {
  log(line: string): void;
  task(label: string, total: number): TaskProgress;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout, opts: { quiet?: boolean } = {}): Progress {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  const write = (line: string) => {
    if (!opts.quiet) stream.write(`${line}\n`);
  };
  // On a terminal, trainings that run at the same time (worker threads) each get a bar.
  let multibar: cliProgress.MultiBar | undefined;
  let active = 0;
  const log = (line: string) => {
    if (multibar) multibar.log(`${line}\n`);
    else write(line);
  };
  return {
    log,
    task(label, total) {
      if (tty && !opts.quiet) {
        multibar ??= new cliProgress.MultiBar(
          { format: '{label} {bar} {value}/{total} steps | loss {loss} | val R² {r2} | {eta_formatted}', stream, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        active++;
        const bar = multibar.create(total, 0, { label: label.padEnd(40), loss: '-', r2: '-' });
        let r2 = '-';
        return {
          update(step, info) {
            if (info.valR2 !== undefined) r2 = info.valR2.toFixed(3);
            bar.update(step, { loss: info.loss.toExponential(2), r2 });
          },
          done(summary) {
            multibar!.remove(bar);
            log(`${label}: ${summary}`);
            if (--active === 0) {
              multibar!.stop();
              multibar = undefined;
            }
          },
        };
      }
      // Plain lines: one at each validation point, enough to follow a run in a CI log.
      return {
        update(step, info) {
          if (info.valR2 !== undefined) write(`${label} step ${step}/${total} loss ${info.loss.toExponential(3)} val R² ${info.valR2.toFixed(4)}`);
        },
        done(summary) {
          write(`${label}: ${summary}`);
        },
      };
    },
  };
}

/** A progress sink that prints nothing (tests). */
export const silentProgress: Progress = { log() {}, task: () => ({ update() {}, done() {} }) };
