/**
 * Review progress on stderr: on a terminal one bar redrawn in place (files done, findings,
 * spend); with CI set, one line per file, which reads well in a build log; otherwise nothing.
 */
import type { BatchProgress, FileReview } from '../core/review/batchReview';
import { plural, usd } from '../core/review/formats/summary';

export interface ProgressReporter {
  file(file: FileReview, progress: BatchProgress): void;
  /** Clears the bar before the report is written. */
  done(): void;
}

const BAR_WIDTH = 24;

export function progressReporter(stream: NodeJS.WriteStream, env: Record<string, string | undefined>): ProgressReporter {
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') {
    return {
      file: (file, p) => {
        const outcome = file.errors.length > 0 ? `not reviewed (${file.errors[0]?.kind ?? 'error'})` : plural(file.findings.length, 'finding');
        stream.write(`aurelis: [${p.filesDone}/${p.files}] ${file.path}: ${outcome}\n`);
      },
      done: () => undefined,
    };
  }
  if (!stream.isTTY) return { file: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    file: (_file, p) => {
      const filled = p.files === 0 ? BAR_WIDTH : Math.round((p.filesDone / p.files) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      stream.write(`\r\x1b[2K${bar} ${p.filesDone}/${p.files} files · ${plural(p.findings, 'finding')} · ${usd(p.costUsd)}`);
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
