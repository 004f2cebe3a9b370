/**
 * Unconstrained minimisation with analytic gradients: BFGS with a backtracking (Armijo) line search.
 *
 * Used for maximum-likelihood fits in log-parameter space (so every parameter stays positive without
 * constraints). The objective fills the gradient it is given and returns the value; a non-finite value
 * is treated as "step too long" and the line search backs off, so a likelihood that overflows far from
 * the optimum does not stop the fit.
 *
 * Convergence: the largest gradient component is at most `gradientTolerance · max(1, |f|)`. When the
 * line search can no longer decrease f (the floating-point floor at the optimum, where other
 * optimisers report "precision loss"), the fit still counts as converged if the gradient is below the
 * looser `stallTolerance · max(1, |f|)`: at that point the parameters are as exact as doubles allow.
 * The same holds after five steps in a row that change f by no more than its rounding error (a
 * gradient made of rounding noise, as in sums over a million customers, would otherwise cycle).
 *
 * References: Nocedal & Wright, *Numerical Optimization* (2nd ed.), Algorithm 6.1 (BFGS) with
 * eq. 6.17 (inverse-Hessian update) and Algorithm 3.1 (backtracking line search).
 */

/** Objective: writes ∂f/∂x into `gradient` and returns f(x) (may return a non-finite value where f is undefined). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  /** Iteration cap (default 500). */
  readonly maxIterations?: number;
  /** Converged when max |g_i| ≤ gradientTolerance · max(1, |f|) (default 1e-10). */
  readonly gradientTolerance?: number;
  /** Converged at a line-search stall when max |g_i| ≤ stallTolerance · max(1, |f|) (default 1e-6). */
  readonly stallTolerance?: number;
}

export interface MinimizeResult {
  /** The minimiser found. */
  readonly x: Float64Array;
  /** f at `x`. */
  readonly value: number;
  /** ∂f/∂x at `x`. */
  readonly gradient: Float64Array;
  /** BFGS iterations done. */
  readonly iterations: number;
  /** Objective evaluations done (line-search trials included). */
  readonly evaluations: number;
  /** Whether a convergence test passed (see the module comment); false when the cap was hit first. */
  readonly converged: boolean;
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * Backtracking line search along `direction` from `x` (Armijo condition, Nocedal & Wright Alg. 3.1).
 * Halves the step after a worse value and divides it by 10 after a non-finite one. At the optimum f
 * changes below its rounding error; a step that keeps f within that error and shrinks the gradient
 * is still progress (this is how a fit gets past the "precision loss" stall to a gradient that is
 * zero to working precision).
 *
 * @param evaluate computes f at `trial`, filling the caller's trial gradient (and Hessian); returns
 *   f and whether every derivative it filled is finite.
 * @returns the accepted f, or null when 60 trials found no acceptable step; `trial` holds the point.
 */
function backtrack(
  evaluate: (trial: Float64Array) => { value: number; finite: boolean; gradientMax: number },
  x: Float64Array,
  direction: Float64Array,
  trial: Float64Array,
  f: number,
  slope: number,
  gradientMax: number,
  firstStep: number,
): number | null {
  let step = firstStep;
  for (let k = 0; k < 60; k++) {
    for (let i = 0; i < x.length; i++) trial[i] = x[i] + step * direction[i];
    const { value, finite, gradientMax: trialGradientMax } = evaluate(trial);
    if (Number.isFinite(value) && finite) {
      if (value <= f + 1e-4 * step * slope) return value;
      if (value <= f + 4 * Number.EPSILON * Math.abs(f) && trialGradientMax < gradientMax) return value;
    }
    step *= Number.isFinite(value) ? 0.5 : 0.1;
  }
  return null;
}

/**
 * Minimises `objective` from `start` by BFGS.
 *
 * @param objective f and its gradient (see {@link Objective}).
 * @param start starting point; f(start) must be finite.
 * @param options iteration cap and tolerances.
 * @returns the point, value, gradient, iteration and evaluation counts, and whether it converged.
 * @throws Error when f(start) or its gradient is not finite (a caller bug: choose a valid start).
 */
export function minimize(objective: Objective, start: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-10;
  const stallTolerance = options.stallTolerance ?? 1e-6;

  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) {
    throw new Error(`minimize: the objective is not finite at the start point (${String(f)})`);
  }

  // Inverse-Hessian approximation H, started as the identity and rescaled after the first step
  // (Nocedal & Wright eq. 6.20).
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const direction = new Float64Array(n);
  const trial = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  let iterations = 0;
  let converged = maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(f));
  let firstStep = true;
  let flatSteps = 0;

  while (!converged && iterations < maxIterations) {
    iterations++;
    // d = −H g; fall back to steepest descent if H has lost positive definiteness.
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum -= H[i * n + j] * g[j];
      direction[i] = sum;
      slope += sum * g[i];
    }
    if (!(slope < 0)) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) H[i * n + j] = i === j ? 1 : 0;
        direction[i] = -g[i];
      }
      slope = -g.reduce((sum, v) => sum + v * v, 0);
    }
    // Keep the first trial step moderate in log-parameter space (e^5 ≈ 150×).
    const longest = maxAbs(direction);
    const step = firstStep && longest > 1 ? 1 / longest : Math.min(1, 5 / longest);

    const fTrial = backtrack(
      (point) => {
        evaluations++;
        const value = objective(point, trialGradient);
        return { value, finite: trialGradient.every(Number.isFinite), gradientMax: maxAbs(trialGradient) };
      },
      x,
      direction,
      trial,
      f,
      slope,
      maxAbs(g),
      step,
    );
    if (fTrial === null) {
      converged = maxAbs(g) <= stallTolerance * Math.max(1, Math.abs(f));
      break;
    }

    // Several steps in a row that change f by no more than its rounding error mean the gradient is
    // now rounding noise: stop rather than cycle until the cap.
    flatSteps = f - fTrial <= 4 * Number.EPSILON * Math.abs(f) ? flatSteps + 1 : 0;

    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - x[i];
      y[i] = trialGradient[i] - g[i];
      sy += s[i] * y[i];
    }
    x = Float64Array.from(trial);
    const previous = g;
    g = trialGradient;
    trialGradient = previous;
    f = fTrial;

    if (sy > 1e-12 * Math.sqrt(s.reduce((a, v) => a + v * v, 0) * y.reduce((a, v) => a + v * v, 0))) {
      if (firstStep) {
        const yy = y.reduce((a, v) => a + v * v, 0);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H[i * n + j] = i === j ? sy / yy : 0;
        firstStep = false;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s)   (eq. 6.17)
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += H[i * n + j] * y[j];
        Hy[i] = sum;
        yHy += y[i] * sum;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
    }
    converged = maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(f));
    if (!converged && flatSteps >= 5) {
      converged = maxAbs(g) <= stallTolerance * Math.max(1, Math.abs(f));
      break;
    }
  }
  return { x, value: f, gradient: Float64Array.from(g), iterations, evaluations, converged };
}

/**
 * Hessian of f by central differences of its analytic gradient, symmetrised.
 *
 * @param gradientAt writes ∂f/∂x at a point into its second argument.
 * @param x where to evaluate.
 * @param relativeStep step per coordinate: relativeStep · max(1e-3, |x_i|) (default 1e-5).
 * @returns the n×n Hessian, row-major.
 */
export function hessianFromGradient(
  gradientAt: (x: Float64Array, gradient: Float64Array) => void,
  x: ArrayLike<number>,
  relativeStep = 1e-5,
): Float64Array {
  const n = x.length;
  const hessian = new Float64Array(n * n);
  const point = Float64Array.from(x);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = relativeStep * Math.max(1e-3, Math.abs(x[j]));
    point[j] = x[j] + h;
    gradientAt(point, plus);
    point[j] = x[j] - h;
    gradientAt(point, minus);
    point[j] = x[j];
    for (let i = 0; i < n; i++) hessian[i * n + j] = (plus[i] - minus[i]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean = (hessian[i * n + j] + hessian[j * n + i]) / 2;
      hessian[i * n + j] = mean;
      hessian[j * n + i] = mean;
    }
  }
  return hessian;
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky decomposition, or null when the matrix
 * is not positive definite (a flat or saddle direction: standard errors do not exist there).
 *
 * @param matrix n×n, row-major, symmetric.
 * @param n its size.
 */
export function invertPositiveDefinite(matrix: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= L[i * n + k] * column[k];
      column[i] = sum / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = column[i];
      for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * column[k];
      column[i] = sum / L[i * n + i];
    }
    for (let i = 0; i < n; i++) inverse[i * n + c] = column[i];
  }
  return inverse;
}

/** Objective with its Hessian: writes ∂f/∂x into `gradient` and, when `hessian` is given, ∂²f/∂x² (row-major). */
export type ObjectiveWithHessian = (x: Float64Array, gradient: Float64Array, hessian: Float64Array | null) => number;

/**
 * A predicted decrease of f below this share of |f| (at least 1) is under the rounding error of a
 * likelihood summed over millions of terms: {@link minimizeNewton} takes the undamped Newton step
 * whole there instead of searching along it.
 */
const NOISE_DECREMENT = 1e-12;

/**
 * Unconstrained minimisation by Newton's method with an analytic Hessian, damped (Levenberg) where
 * the Hessian is not positive definite, with a backtracking line search.
 *
 * For likelihoods whose Hessian costs little more than their gradient (sums of simple terms), this
 * converges in a handful of passes over the data where BFGS needs a few dozen, and the Hessian at the
 * optimum gives the standard errors for free. Converged: the gradient test of {@link minimize}, or a
 * Newton decrement below the rounding error of f with the gradient under `stallTolerance`.
 *
 * @param objective f, its gradient and (when asked) its Hessian.
 * @param start starting point; f(start) must be finite.
 * @param options iteration cap (default 100) and tolerances as for {@link minimize}.
 * @returns as {@link minimize}.
 * @throws Error when f(start) is not finite (a caller bug).
 * References: Nocedal & Wright, *Numerical Optimization* (2nd ed.), §3.4 (Newton with Hessian
 * modification) and Algorithm 3.1 (backtracking).
 */
export function minimizeNewton(objective: ObjectiveWithHessian, start: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 100;
  const gradientTolerance = options.gradientTolerance ?? 1e-10;
  const stallTolerance = options.stallTolerance ?? 1e-6;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let H = new Float64Array(n * n);
  let f = objective(x, g, H);
  let evaluations = 1;
  if (!Number.isFinite(f) || !g.every(Number.isFinite) || !H.every(Number.isFinite)) {
    throw new Error(`minimizeNewton: the objective is not finite at the start point (${String(f)})`);
  }
  const trial = new Float64Array(n);
  let trialG = new Float64Array(n);
  let trialH = new Float64Array(n * n);
  const damped = new Float64Array(n * n);
  const direction = new Float64Array(n);
  let iterations = 0;
  let converged = maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(f));
  while (!converged && iterations < maxIterations) {
    iterations++;
    // Solve (H + μI) d = −g, raising μ from 0 until the matrix is positive definite.
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(H[i * n + i]));
    let mu = 0;
    let inverse: Float64Array | null = null;
    let undamped = false;
    for (let attempt = 0; attempt < 60 && inverse === null; attempt++) {
      damped.set(H);
      for (let i = 0; i < n; i++) damped[i * n + i] += mu;
      inverse = invertPositiveDefinite(damped, n);
      undamped = inverse !== null && attempt === 0;
      mu = mu === 0 ? 1e-8 * Math.max(1, scale) : mu * 10;
    }
    if (inverse === null) break;
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum -= inverse[i * n + j] * g[j];
      direction[i] = sum;
      slope += sum * g[i];
    }
    // Newton decrement: when the predicted decrease −½·gᵀd is below the rounding error of f, the
    // gradient left is rounding noise of the sums (a million customers leave about 1e-8) and no
    // step can do better (Boyd & Vandenberghe, Convex Optimization, §9.5.1).
    if (-slope / 2 <= 4 * Number.EPSILON * Math.abs(f)) {
      converged = maxAbs(g) <= stallTolerance * Math.max(1, Math.abs(f));
      break;
    }
    // Near the optimum the predicted decrease can be smaller than the rounding error of f itself (a
    // sum over millions of terms carries about 1e-12 relative), so a line search can neither confirm
    // a step nor stop: it crawled through tiny steps to the evaluation cap, a few parts in a million
    // short of the optimum, on 3.2M spend pairs. There the Hessian is positive definite and Newton's
    // step is taken whole, as the method does in its quadratic region (Nocedal & Wright §3.3), and it
    // is the last: no later step could be told from the noise of f.
    if (undamped && -slope / 2 <= NOISE_DECREMENT * Math.max(1, Math.abs(f))) {
      for (let i = 0; i < n; i++) trial[i] = x[i] + direction[i];
      evaluations++;
      const value = objective(trial, trialG, trialH);
      const finite = Number.isFinite(value) && trialG.every(Number.isFinite) && trialH.every(Number.isFinite);
      if (finite && value <= f + NOISE_DECREMENT * Math.max(1, Math.abs(f))) {
        x = Float64Array.from(trial);
        [g, trialG] = [trialG, g];
        [H, trialH] = [trialH, H];
        f = value;
        converged = maxAbs(g) <= stallTolerance * Math.max(1, Math.abs(f));
        break;
      }
    }
    // The first trial step keeps a move in log-parameter space moderate (e^5 ≈ 150×).
    const fTrial = backtrack(
      (point) => {
        evaluations++;
        const value = objective(point, trialG, trialH);
        return { value, finite: trialG.every(Number.isFinite) && trialH.every(Number.isFinite), gradientMax: maxAbs(trialG) };
      },
      x,
      direction,
      trial,
      f,
      slope,
      maxAbs(g),
      Math.min(1, 5 / Math.max(maxAbs(direction), Number.MIN_VALUE)),
    );
    if (fTrial === null) {
      converged = maxAbs(g) <= stallTolerance * Math.max(1, Math.abs(f));
      break;
    }
    x = Float64Array.from(trial);
    [g, trialG] = [trialG, g];
    [H, trialH] = [trialH, H];
    f = fTrial;
    converged = maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(f));
  }
  return { x, value: f, gradient: Float64Array.from(g), iterations, evaluations, converged };
}
