/**
 * The runner's window on the world: where text goes, where relative paths start, what time it is and
 * whether to show progress. Commands receive a {@link CliIo} instead of touching `process`, so tests
 * run them in-process with a fake one.
 */

/** Output streams, working directory, clock and progress switch of one run of `imc`. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error (no newline added). */
  readonly stderr: (text: string) => void;
  /** Directory that relative file names are resolved against. */
  readonly cwd: string;
  /** The clock, injected (provenance, generatedAt). */
  readonly now: () => Date;
  /** Show progress lines on stderr: true when stderr is a terminal or IMC_PROGRESS=1; false in tests. */
  readonly progress: boolean;
}

/** The real process: stdout, stderr, `process.cwd()`, the system clock. */
export function processIo(): CliIo {
  // `imc … | head` closes the pipe early: stop writing quietly instead of dying on EPIPE.
  let stdoutClosed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed = true;
  });
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    cwd: process.cwd(),
    now: () => new Date(),
    progress: process.stderr.isTTY === true || process.env.IMC_PROGRESS === "1",
  };
}

/** An in-memory {@link CliIo} and what was written to it (for tests and embedding). */
export interface MemoryIo {
  readonly io: CliIo;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

/**
 * A {@link CliIo} that collects output in memory, with a fixed clock and progress off.
 *
 * @param options working directory (default `process.cwd()`), clock (default 2024-01-01T00:00:00Z), progress.
 */
export function memoryIo(options: { cwd?: string; now?: () => Date; progress?: boolean } = {}): MemoryIo {
  let out = "";
  let err = "";
  const fixed = new Date(Date.UTC(2024, 0, 1));
  return {
    io: {
      stdout: (text) => {
        out += text;
      },
      stderr: (text) => {
        err += text;
      },
      cwd: options.cwd ?? process.cwd(),
      now: options.now ?? (() => fixed),
      progress: options.progress ?? false,
    },
    stdout: () => out,
    stderr: () => err,
  };
}
