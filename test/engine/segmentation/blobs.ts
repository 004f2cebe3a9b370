// Seeded synthetic data for the clustering tests: well-separated Gaussian blobs.
import { seededUniform } from "../../../src/engine/math/random";

/** Points around the given centres (Box–Muller normals with standard deviation `spread`), blob by blob. */
export function blobs(centres: number[][], sizes: number[], spread: number, seed: number) {
  const random = seededUniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: number[][] = [];
  const labels: number[] = [];
  centres.forEach((centre, b) => {
    for (let i = 0; i < sizes[b]; i++) {
      rows.push(centre.map((x) => x + spread * normal()));
      labels.push(b);
    }
  });
  return { rows, labels };
}

/** True when two labellings are the same partition (equal up to renaming the clusters). */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((forward.get(a[i]) ?? b[i]) !== b[i] || (backward.get(b[i]) ?? a[i]) !== a[i]) return false;
    forward.set(a[i], b[i]);
    backward.set(b[i], a[i]);
  }
  return true;
}
