import { EngineError } from "../../src/engine/errors";

/** Runs `action`, expecting an EngineError; returns it so the test can check code, location, message. */
export function engineErrorOf(action: () => unknown): EngineError {
  try {
    action();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw new Error(`expected an EngineError, got ${String(error)}`);
  }
  throw new Error("expected an EngineError, but nothing was thrown");
}

/** Runs `action`, expecting an EngineError with the INVALID_INPUT code; returns it for its message and argument. */
export function invalidInputOf(action: () => unknown): EngineError {
  const error = engineErrorOf(action);
  if (error.code !== "INVALID_INPUT") throw new Error(`expected INVALID_INPUT, got ${error.code}: ${error.message}`);
  return error;
}

/**
 * ∂²f/∂vᵢ∂vⱼ by the four-point central difference with steps `relativeStep`·v, written apart from
 * the engine (to check its analytic Hessians).
 */
export function secondDifference(f: (v: readonly number[]) => number, v: readonly number[], i: number, j: number, relativeStep: number): number {
  const hi = relativeStep * v[i];
  const hj = relativeStep * v[j];
  const at = (di: number, dj: number): number => {
    const w = [...v];
    w[i] += di * hi;
    w[j] += dj * hj;
    return f(w);
  };
  return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * hi * hj);
}
