/** CPU time per call for bench cases: on a shared, loaded machine CPU time is inflated much less than wall time. */
import { bench } from "./harness";

/**
 * {@link bench}, plus a line with the median and minimum CPU time (user + system, this process) of the
 * timed calls (the warm-up and the harness's forced GC between calls excluded).
 */
export function benchWithCpu(options: Parameters<typeof bench>[0], body: () => unknown): void {
  const cpu: number[] = [];
  let warm = false;
  bench(options, () => {
    const start = process.cpuUsage();
    const result = body();
    const used = process.cpuUsage(start);
    if (warm) cpu.push((used.user + used.system) / 1000);
    warm = true;
    return result;
  });
  cpu.sort((a, b) => a - b);
  console.log(`${options.name}: CPU time per call median ${cpu[Math.floor(cpu.length / 2)].toFixed(0)} ms, min ${cpu[0].toFixed(0)} ms`);
}
