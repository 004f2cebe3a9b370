import { describe, expect, it } from "vitest";
import { hessianFromGradient, invertPositiveDefinite, minimize, minimizeNewton } from "../../../src/engine/math/minimize";

describe("minimize (BFGS)", () => {
  it("Rosenbrock's function from (−1.2, 1) reaches (1, 1) (Nocedal & Wright, the classic test)", () => {
    const result = minimize((x, g) => {
      const [a, b] = x;
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
      return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    }, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });

  it("a quadratic bowl in 4 dimensions converges to its centre", () => {
    const centre = [3, -2, 0.5, 10];
    const scale = [1, 10, 100, 0.1];
    const result = minimize((x, g) => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        f += scale[i] * (x[i] - centre[i]) ** 2;
        g[i] = 2 * scale[i] * (x[i] - centre[i]);
      }
      return f;
    }, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.x.forEach((v, i) => expect(v).toBeCloseTo(centre[i], 8));
  });

  it("backs off from non-finite values instead of failing", () => {
    // f = x − log(x) is undefined for x ≤ 0; minimum at x = 1.
    const result = minimize((x, g) => {
      g[0] = 1 - 1 / x[0];
      return x[0] > 0 ? x[0] - Math.log(x[0]) : Number.NaN;
    }, [20]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
  });

  it("stops at the iteration cap and says it did not converge", () => {
    const result = minimize((x, g) => {
      g[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    }, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
  });

  it("refuses a start where the objective is not finite", () => {
    expect(() => minimize((_x, g) => { g[0] = 0; return Number.NaN; }, [1])).toThrow(/not finite at the start/);
  });
});

describe("hessianFromGradient and invertPositiveDefinite", () => {
  it("recover the covariance of a known quadratic", () => {
    // f = ½ xᵀ A x with A = [[4, 1], [1, 3]]; Hessian A, inverse [[3, −1], [−1, 4]] / 11.
    const hessian = hessianFromGradient((x, g) => {
      g[0] = 4 * x[0] + x[1];
      g[1] = x[0] + 3 * x[1];
    }, [0.3, -0.7]);
    expect([...hessian].map((v) => Number(v.toFixed(8)))).toEqual([4, 1, 1, 3]);
    const inverse = invertPositiveDefinite(hessian, 2)!;
    [3 / 11, -1 / 11, -1 / 11, 4 / 11].forEach((v, i) => expect(inverse[i]).toBeCloseTo(v, 8));
  });

  it("returns null for a matrix that is not positive definite", () => {
    expect(invertPositiveDefinite([1, 2, 2, 1], 2)).toBeNull();
  });
});

describe("minimize on a noisy objective", () => {
  it("stops once steps no longer change f beyond rounding, instead of cycling to the cap", () => {
    // A quadratic whose gradient carries deterministic noise of 1e-5 (far above 1e-10 · |f| = 1e-7):
    // the gradient test can never pass, but f stops changing once x is within the noise.
    let calls = 0;
    const result = minimize((x, g) => {
      calls++;
      const noise = 1e-5 * Math.sin(calls * 12.9898);
      g[0] = 2 * (x[0] - 3) + noise;
      g[1] = 2 * (x[1] + 1) - noise;
      return 1000 + (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
    }, [0, 0]);
    expect(result.iterations).toBeLessThan(100);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 4);
    expect(result.x[1]).toBeCloseTo(-1, 4);
  });
});

describe("minimizeNewton (analytic Hessian)", () => {
  const rosenbrock = (x: Float64Array, g: Float64Array, h: Float64Array | null) => {
    const [a, b] = x;
    g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
    g[1] = 200 * (b - a * a);
    if (h) {
      h[0] = 1200 * a * a - 400 * b + 2;
      h[1] = h[2] = -400 * a;
      h[3] = 200;
    }
    return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
  };

  it("Rosenbrock's function from (−1.2, 1) reaches (1, 1) in a few dozen steps, through regions where the Hessian is indefinite", () => {
    const result = minimizeNewton(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 10);
    expect(result.x[1]).toBeCloseTo(1, 10);
    expect(result.iterations).toBeLessThan(40);
  });

  it("a quadratic converges in one step (from within the step cap of 5 per coordinate)", () => {
    const result = minimizeNewton((x, g, h) => {
      g[0] = 2 * 3 * (x[0] - 1) + (x[1] - 2);
      g[1] = (x[0] - 1) + 2 * 5 * (x[1] - 2);
      if (h) h.set([6, 1, 1, 10]);
      return 3 * (x[0] - 1) ** 2 + (x[0] - 1) * (x[1] - 2) + 5 * (x[1] - 2) ** 2;
    }, [3, 5]);
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(1);
    expect(result.x[0]).toBeCloseTo(1, 12);
    expect(result.x[1]).toBeCloseTo(2, 12);
  });

  it("stops at the iteration cap and says so", () => {
    const result = minimizeNewton(rosenbrock, [-1.2, 1], { maxIterations: 2 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
  });
});

describe("minimizeNewton on a noisy objective", () => {
  it("stops when the Newton decrement is below f's rounding error, instead of crawling to the cap", () => {
    let calls = 0;
    const result = minimizeNewton((x, g, h) => {
      calls++;
      const noise = 1e-8 * Math.sin(calls * 12.9898);
      g[0] = 2 * (x[0] - 3) + noise;
      g[1] = 2 * (x[1] + 1) - noise;
      if (h) h.set([2, 0, 0, 2]);
      return 4 + (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
    }, [1, 1]);
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThan(10);
    expect(result.evaluations).toBeLessThan(20);
    expect(result.x[0]).toBeCloseTo(3, 6);
  });

  it("takes the last Newton step whole where f's own rounding hides the decrease (3.2M spend pairs crawled to the cap)", () => {
    // f near 5 with rounding noise of 2e-13 in its value and 3e-8 in its gradient, as a likelihood
    // summed over millions of terms; one flat direction (curvature 0.01), so the gradient's noise
    // predicts decreases of about 1e-14 to 1e-13: above 4·ε·|f|, below what f can show.
    let calls = 0;
    const curvature = [0.01, 1, 0.1];
    const centre = [2, -1, 0.5];
    const result = minimizeNewton(
      (x, g, h) => {
        calls++;
        let f = 5;
        for (let i = 0; i < 3; i++) {
          g[i] = curvature[i] * (x[i] - centre[i]) + 3e-8 * Math.sin(calls * 12.9898 + i * 78.233);
          f += (curvature[i] * (x[i] - centre[i]) ** 2) / 2;
        }
        if (h) h.set([curvature[0], 0, 0, 0, curvature[1], 0, 0, 0, curvature[2]]);
        return f + 2e-13 * Math.sin(calls * 43758.5453);
      },
      [2.5, -0.5, 1],
    );
    expect(result.converged).toBe(true);
    expect(result.evaluations).toBeLessThan(20);
    for (let i = 0; i < 3; i++) expect(Math.abs(result.x[i] - centre[i])).toBeLessThan(1e-5);
  });
});
