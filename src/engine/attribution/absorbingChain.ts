/**
 * Exact absorbing-chain algebra on a sparse Markov chain: absorption probabilities and expected
 * visits, by strongly connected components.
 *
 * Glossary (Kemeny & Snell's notation):
 * - Q: transitions between transient states (substochastic: every row sums to at most 1);
 * - N = (I − Q)⁻¹, the fundamental matrix: N[s][t] is the expected number of visits to t from s;
 * - absorption: h = N·b, i.e. h = b + Q·h, for a per-state exit vector b (e.g. r, the probability
 *   of converting right after a state): h[s] is what is collected after leaving from s;
 * - visits: x = a·N, i.e. x = a + x·Q, for a start distribution a: x[t] is the expected number of
 *   visits to t.
 *
 * Method: the states are split into strongly connected components (Tarjan), which are ordered
 * topologically, so each component is solved once, exactly, after everything it depends on. A
 * component of up to {@link DENSE_LIMIT} states is solved by Gaussian elimination with partial
 * pivoting; a larger one by Gauss–Seidel sweeps, which converge monotonically from 0 for a
 * substochastic Q (every iterate is non-negative, so no negative credit can appear), until no
 * component changes by more than {@link RELATIVE_TOLERANCE} of its value.
 *
 * States that cannot reach an exit (a closed loop with no way out, where I − Q is singular) are
 * treated as leaving to (null): their outgoing transitions are ignored. Journeys built by the
 * attribution aggregator never create such states (every state lies on a journey that ends), so this
 * only guards hand-built chains.
 *
 * References: J. G. Kemeny, J. L. Snell, *Finite Markov Chains* (1960), ch. III (absorbing chains:
 * the fundamental matrix N = (I − Q)⁻¹ and absorption probabilities B = N·R); R. Tarjan, "Depth-first
 * search and linear graph algorithms", SIAM J. Comput. 1(2), 1972; Y. Saad, *Iterative Methods for
 * Sparse Linear Systems*, 2nd ed., §4.1 (Gauss–Seidel).
 */

import { EngineError } from "../errors";
import type { MarkovChain } from "./markovChain";

/** Components up to this many states are solved directly (dense elimination, n³/3 operations). */
export const DENSE_LIMIT = 200;
/** Gauss–Seidel stops when no value changes by more than this fraction of itself in a sweep. */
export const RELATIVE_TOLERANCE = 1e-14;
/** Gauss–Seidel sweep cap per component. */
export const MAX_SWEEPS = 200_000;

/** Solves absorption and visit systems of one chain; built once, used for every removal. */
export interface AbsorbingSolver {
  /**
   * h = b + Q·h over all states (absorption; e.g. b = r gives the probability of converting from each state).
   * @param exitVector b, one non-negative value per state.
   * @returns h.
   */
  absorption(exitVector: Float64Array): Float64Array;
  /**
   * x = a + x·Q over the states not removed (expected visits); removed states get 0 and their
   * incoming mass is lost (redirected to (null)).
   * @param startVector a, one non-negative value per state.
   * @param removed per state 1 when removed, or null for none.
   * @returns x.
   */
  visits(startVector: Float64Array, removed: Uint8Array | null): Float64Array;
  /** Largest Gauss–Seidel sweep count used so far (0 when every component was solved directly). */
  readonly sweeps: number;
}

/** Strongly connected components in reverse topological order (sinks first), as Tarjan finds them. */
function components(chain: MarkovChain, trapped: Uint8Array): { order: Int32Array; start: Int32Array } {
  const n = chain.stateCount;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callState = new Int32Array(n);
  const callEdge = new Int32Array(n);
  const order = new Int32Array(n);
  const starts: number[] = [0];
  let filled = 0;
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callState[0] = root;
    callEdge[0] = chain.outStart[root];
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callState[depth];
      const end = trapped[v] ? callEdge[depth] : chain.outStart[v + 1];
      if (callEdge[depth] < end) {
        const w = chain.outTo[callEdge[depth]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          depth++;
          callState[depth] = w;
          callEdge[depth] = chain.outStart[w];
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--stackTop];
          onStack[w] = 0;
          order[filled++] = w;
        } while (w !== v);
        starts.push(filled);
      }
      depth--;
      if (depth >= 0) {
        const parent = callState[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return { order, start: Int32Array.from(starts) };
}

/** States from which no exit can be reached: reverse search from the states that have one. */
function trappedStates(chain: MarkovChain): Uint8Array {
  const n = chain.stateCount;
  const reaches = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let s = 0; s < n; s++) {
    if (chain.exit[s] > 0) {
      reaches[s] = 1;
      queue[tail++] = s;
    }
  }
  while (head < tail) {
    const t = queue[head++];
    for (let e = chain.inStart[t]; e < chain.inStart[t + 1]; e++) {
      const s = chain.inFrom[e];
      if (!reaches[s]) {
        reaches[s] = 1;
        queue[tail++] = s;
      }
    }
  }
  const trapped = new Uint8Array(n);
  for (let s = 0; s < n; s++) trapped[s] = reaches[s] ? 0 : 1;
  return trapped;
}

/** Solves A·y = rhs in place (A n×n row-major, destroyed); partial pivoting. */
function solveDense(a: Float64Array, rhs: Float64Array, n: number): void {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(a[col * n + col]);
    for (let row = col + 1; row < n; row++) {
      const size = Math.abs(a[row * n + col]);
      if (size > best) {
        best = size;
        pivot = row;
      }
    }
    if (!(best > 0)) {
      // Unreachable for a transient chain (I − Q is a non-singular M-matrix); guarded all the same.
      throw new EngineError("NOT_CONVERGED", "absorbingChain: the transition system is singular");
    }
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const tmp = a[col * n + k];
        a[col * n + k] = a[pivot * n + k];
        a[pivot * n + k] = tmp;
      }
      const tmp = rhs[col];
      rhs[col] = rhs[pivot];
      rhs[pivot] = tmp;
    }
    const diagonal = a[col * n + col];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col] / diagonal;
      if (factor === 0) continue;
      a[row * n + col] = 0;
      for (let k = col + 1; k < n; k++) a[row * n + k] -= factor * a[col * n + k];
      rhs[row] -= factor * rhs[col];
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = rhs[row];
    for (let k = row + 1; k < n; k++) sum -= a[row * n + k] * rhs[k];
    rhs[row] = sum / a[row * n + row];
  }
}

/**
 * Prepares a solver for a chain: finds its strongly connected components and its trapped states.
 *
 * @param chain the Markov chain (see {@link MarkovChain}).
 * @returns the solver.
 *
 * References: Kemeny & Snell (1960), ch. III (N = (I − Q)⁻¹, B = N·R).
 */
export function createAbsorbingSolver(chain: MarkovChain): AbsorbingSolver {
  const n = chain.stateCount;
  const trapped = trappedStates(chain);
  const { order, start } = components(chain, trapped);
  const componentCount = start.length - 1;
  const local = new Int32Array(n).fill(-1);
  let maxSweeps = 0;

  // Members of component c that are not removed, written to `members`; returns their count.
  const activeMembers = (c: number, removed: Uint8Array | null, members: Int32Array): number => {
    let count = 0;
    for (let p = start[c]; p < start[c + 1]; p++) {
      const s = order[p];
      if (removed === null || removed[s] === 0) members[count++] = s;
    }
    return count;
  };

  const notConverged = (what: string, size: number): EngineError =>
    new EngineError(
      "NOT_CONVERGED",
      `absorbingChain: ${what} of a loop of ${size} states did not converge in ${MAX_SWEEPS} sweeps`,
    );

  const members = new Int32Array(n);

  return {
    get sweeps() {
      return maxSweeps;
    },

    absorption(exitVector: Float64Array): Float64Array {
      const h = new Float64Array(n);
      // Tarjan's order is sinks first: every state a component leads to is already solved.
      for (let c = 0; c < componentCount; c++) {
        const size = activeMembers(c, null, members);
        if (size === 1) {
          const s = members[0];
          let value = exitVector[s];
          if (!trapped[s]) {
            for (let e = chain.outStart[s]; e < chain.outStart[s + 1]; e++) value += chain.outProbability[e] * h[chain.outTo[e]];
          }
          h[s] = value;
          continue;
        }
        if (size <= DENSE_LIMIT) {
          for (let i = 0; i < size; i++) local[members[i]] = i;
          const a = new Float64Array(size * size);
          const rhs = new Float64Array(size);
          for (let i = 0; i < size; i++) {
            const s = members[i];
            a[i * size + i] = 1;
            let value = exitVector[s];
            if (!trapped[s]) {
              for (let e = chain.outStart[s]; e < chain.outStart[s + 1]; e++) {
                const t = chain.outTo[e];
                const j = local[t];
                if (j >= 0) a[i * size + j] -= chain.outProbability[e];
                else value += chain.outProbability[e] * h[t];
              }
            }
            rhs[i] = value;
          }
          solveDense(a, rhs, size);
          for (let i = 0; i < size; i++) {
            h[members[i]] = Math.max(0, rhs[i]);
            local[members[i]] = -1;
          }
          continue;
        }
        let converged = false;
        for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
          let changed = false;
          for (let i = 0; i < size; i++) {
            const s = members[i];
            let value = exitVector[s];
            if (!trapped[s]) {
              for (let e = chain.outStart[s]; e < chain.outStart[s + 1]; e++) value += chain.outProbability[e] * h[chain.outTo[e]];
            }
            if (Math.abs(value - h[s]) > RELATIVE_TOLERANCE * value) changed = true;
            h[s] = value;
          }
          if (!changed) {
            converged = true;
            if (sweep > maxSweeps) maxSweeps = sweep;
            break;
          }
        }
        if (!converged) throw notConverged("absorption", size);
      }
      return h;
    },

    visits(startVector: Float64Array, removed: Uint8Array | null): Float64Array {
      const x = new Float64Array(n);
      // Sources first: the reverse of Tarjan's order.
      for (let c = componentCount - 1; c >= 0; c--) {
        const size = activeMembers(c, removed, members);
        if (size === 0) continue;
        const gather = (t: number): number => {
          let value = startVector[t];
          for (let e = chain.inStart[t]; e < chain.inStart[t + 1]; e++) {
            const s = chain.inFrom[e];
            if (trapped[s] || (removed !== null && removed[s] === 1)) continue;
            value += x[s] * chain.inProbability[e];
          }
          return value;
        };
        if (size === 1) {
          x[members[0]] = gather(members[0]);
          continue;
        }
        if (size <= DENSE_LIMIT) {
          for (let i = 0; i < size; i++) local[members[i]] = i;
          const a = new Float64Array(size * size);
          const rhs = new Float64Array(size);
          for (let i = 0; i < size; i++) {
            const t = members[i];
            a[i * size + i] = 1;
            let value = startVector[t];
            for (let e = chain.inStart[t]; e < chain.inStart[t + 1]; e++) {
              const s = chain.inFrom[e];
              if (trapped[s] || (removed !== null && removed[s] === 1)) continue;
              const j = local[s];
              if (j >= 0) a[i * size + j] -= chain.inProbability[e];
              else value += x[s] * chain.inProbability[e];
            }
            rhs[i] = value;
          }
          solveDense(a, rhs, size);
          for (let i = 0; i < size; i++) {
            x[members[i]] = Math.max(0, rhs[i]);
            local[members[i]] = -1;
          }
          continue;
        }
        let converged = false;
        for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
          let changed = false;
          for (let i = 0; i < size; i++) {
            const t = members[i];
            const value = gather(t);
            if (Math.abs(value - x[t]) > RELATIVE_TOLERANCE * value) changed = true;
            x[t] = value;
          }
          if (!changed) {
            converged = true;
            if (sweep > maxSweeps) maxSweeps = sweep;
            break;
          }
        }
        if (!converged) throw notConverged("visits", size);
      }
      return x;
    },
  };
}
