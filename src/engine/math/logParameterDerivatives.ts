/**
 * Derivatives of f(θ) = −log L(u) / N in log-parameters θ = log u from those of log L in the natural
 * parameters u: the step shared by the maximum-likelihood fits that run Newton's method in
 * log-parameters (BG/NBD, MBG/NBD, NBD, Gamma-Gamma).
 *
 * The fits minimise −log L per customer (the same tolerances whatever the number of customers N) over
 * θ = log u, so every parameter stays positive. By the chain rule, with g and H the gradient and Hessian
 * of log L in u: ∂f/∂θᵢ = −gᵢ·uᵢ/N and ∂²f/∂θᵢ∂θⱼ = −(Hᵢⱼ·uᵢ·uⱼ + [i = j]·gᵢ·uᵢ)/N.
 *
 * @param u the natural parameters (n of them, > 0).
 * @param naturalGradient g = ∂ log L/∂u (length n).
 * @param naturalHessian H = ∂² log L/∂u² (n×n, row-major); read only when `hessian` is given.
 * @param customers N, the number of customers (> 0).
 * @param gradient receives ∂f/∂θ (length n).
 * @param hessian receives ∂²f/∂θ² (n×n, row-major) when given.
 * References: the chain rule for θ = log u (∂u/∂θ = u).
 */
export function logParameterDerivatives(
  u: ArrayLike<number>,
  naturalGradient: ArrayLike<number>,
  naturalHessian: ArrayLike<number>,
  customers: number,
  gradient: Float64Array,
  hessian: Float64Array | null,
): void {
  const n = u.length;
  for (let i = 0; i < n; i++) gradient[i] = (-naturalGradient[i] * u[i]) / customers;
  if (hessian) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        hessian[i * n + j] = -(naturalHessian[i * n + j] * u[i] * u[j] + (i === j ? naturalGradient[i] * u[i] : 0)) / customers;
      }
    }
  }
}
