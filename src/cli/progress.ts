/**
 * Progress lines on stderr for long work ("reading orders.csv: 1,000,000 rows…"), at most one a
 * second, and only when {@link CliIo.progress} is on (a terminal, or IMC_PROGRESS=1): piped output
 * and tests stay clean.
 */

import type { CliIo } from "./io";

/** Minimum time between two progress lines, ms. */
const INTERVAL_MS = 1000;

/** A throttled progress reporter for one task. */
export class Progress {
  private readonly io: CliIo;
  private readonly label: string;
  private last: number;
  private shown = false;

  /**
   * @param io where to write (nothing is written unless `io.progress`).
   * @param label what is going on, e.g. `reading orders.csv`.
   */
  constructor(io: CliIo, label: string) {
    this.io = io;
    this.label = label;
    this.last = io.progress ? io.now().getTime() : 0;
  }

  /**
   * Reports a count; cheap to call on every row (it checks the clock every 65,536 calls' worth of rows).
   *
   * @param rows rows done so far.
   */
  update(rows: number): void {
    if (!this.io.progress || (rows & 0xffff) !== 0) return;
    const now = this.io.now().getTime();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.shown = true;
    this.io.stderr(`${this.label}: ${rows.toLocaleString("en-US")} rows…\n`);
  }

  /**
   * Reports the end, when a progress line was shown (short tasks stay silent).
   *
   * @param rows rows done.
   */
  done(rows: number): void {
    if (this.io.progress && this.shown) this.io.stderr(`${this.label}: ${rows.toLocaleString("en-US")} rows, done\n`);
  }

  /** Writes a stage line (e.g. "fitting BG/NBD…") when progress is on. */
  stage(text: string): void {
    if (this.io.progress) this.io.stderr(`${text}\n`);
  }
}
