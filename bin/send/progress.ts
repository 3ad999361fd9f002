import type { SendProgress } from './send-posts.ts';

const TTY_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 5_000;

export interface ProgressReporter {
  update(progress: SendProgress): void;
  /** Clears the live line, so the summary starts on a clean line. */
  done(): void;
}

/** A live line on a terminal; on anything else (a log, a pipe) a line every few seconds. */
export function progressReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const live = stream.isTTY === true;
  const interval = live ? TTY_INTERVAL_MS : LOG_INTERVAL_MS;
  let lastShown = 0;
  let shownLive = false;
  return {
    update(progress) {
      const finished = progress.sent === progress.total;
      if (progress.elapsedMs - lastShown < interval && !(live && finished)) return;
      lastShown = progress.elapsedMs;
      const line = describe(progress);
      if (live) {
        stream.write(`\r\x1b[K${line}`);
        shownLive = true;
      } else if (!finished) {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (shownLive) stream.write('\r\x1b[K');
    },
  };
}

function describe({ total, sent, accepted, failed, elapsedMs, rate: asked }: SendProgress): string {
  const seconds = elapsedMs / 1000;
  const rate = `${seconds > 0 ? `, ${(sent / seconds).toFixed(0)}/s` : ''}${asked === undefined ? '' : ` at --rate ${asked}`}`;
  const percent = total > 0 ? Math.floor((sent / total) * 100) : 100;
  return `sent ${sent}/${total} (${percent}%): ${accepted} accepted, ${failed} failed${rate}`;
}
