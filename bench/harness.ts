/** Shared timing and memory helpers for bench cases (each case runs in its own process). */

export interface BenchFigure {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  /** Peak resident set size of the whole process so far (includes Node itself, ~50 MB). */
  peakRssMb: number;
  target: string;
  withinTarget: boolean;
}

export interface BenchOptions {
  name: string;
  /** Timed repetitions after one untimed warm-up. */
  runs?: number;
  /** What "good enough" means, in words, e.g. "≤ 1000 ms, ≤ 600 MB". */
  target: string;
  maxMedianMs: number;
  maxPeakRssMb: number;
}

/** Times `body` (one warm-up, then `runs` timed calls) and prints one `BENCH {json}` line. */
export function bench(options: BenchOptions, body: () => unknown): BenchFigure {
  const runs = options.runs ?? 5;
  const check = (result: unknown) => {
    if (result === undefined) throw new Error(`${options.name}: the benchmark body returned nothing to check`);
  };
  check(body()); // warm-up: JIT and first allocations
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // The previous run's result is dropped first, so peak memory is one run's, not two.
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    const result = body();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    check(result);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)];
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const figure: BenchFigure = {
    name: options.name,
    runs,
    medianMs,
    minMs: times[0],
    peakRssMb,
    target: options.target,
    withinTarget: medianMs <= options.maxMedianMs && peakRssMb <= options.maxPeakRssMb,
  };
  console.log(`BENCH ${JSON.stringify(figure)}`);
  return figure;
}
