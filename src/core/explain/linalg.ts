/**
 * Dense linear algebra in float64 for the explainers' small regressions (p ≤ a few hundred):
 * weighted least squares (Kernel SHAP) and weighted ridge regression (LIME).
 *
 * Systems are solved through the normal equations with a Cholesky factorisation; when the
 * matrix is singular or numerically indefinite, the minimum-norm least-squares solution is used
 * instead (symmetric eigen-decomposition by cyclic Jacobi, eigenvalues below 1e-12 · the largest
 * dropped), which is what `numpy.linalg.lstsq` returns for a rank-deficient problem.
 */

/** Solve A·x = b for a symmetric positive semi-definite p×p matrix A (row-major). */
export function solveSymmetric(a: Float64Array, b: Float64Array, p: number): { x: Float64Array; method: 'cholesky' | 'pseudo-inverse' } {
  const x = choleskySolve(a, b, p);
  if (x) return { x, method: 'cholesky' };
  return { x: pseudoInverseSolve(a, b, p), method: 'pseudo-inverse' };
}

/** Cholesky solve; undefined when a pivot is not clearly positive (singular or indefinite). */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  const tol = Math.max(maxDiag, 1e-300) * 1e-13;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      if (i === j) {
        if (!(s > tol)) return undefined;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j];
      }
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * y[k];
    y[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: A = V·diag(λ)·Vᵀ. */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += m[i * p + j] ** 2;
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j];
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (m[j * p + j] - m[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mik = m[i * p + k];
          const mjk = m[j * p + k];
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const mki = m[k * p + i];
          const mkj = m[k * p + j];
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i];
          const vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = m[i * p + i];
  return { values, vectors: v };
}

/** x = A⁺·b through the eigen-decomposition, dropping eigenvalues below 1e-12 · max|λ|. */
function pseudoInverseSolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, p);
  let max = 0;
  for (const l of values) max = Math.max(max, Math.abs(l));
  const cut = max * 1e-12;
  const x = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const l = values[k];
    if (!(Math.abs(l) > cut)) continue;
    let proj = 0;
    for (let i = 0; i < p; i++) proj += vectors[i * p + k] * b[i];
    const f = proj / l;
    for (let i = 0; i < p; i++) x[i] += f * vectors[i * p + k];
  }
  return x;
}

/**
 * Weighted least squares without intercept: β = argmin Σ wᵢ (yᵢ − Xᵢ·β)², X row-major n×p.
 * Solved as (XᵀWX)β = XᵀWy (see the module comment for the singular case).
 */
export function weightedLeastSquares(x: Float64Array, n: number, p: number, y: ArrayLike<number>, w: ArrayLike<number>): { coef: Float64Array; method: 'cholesky' | 'pseudo-inverse' } {
  const { xtwx, xtwy } = normalEquations(x, n, p, y, w, undefined, undefined);
  const r = solveSymmetric(xtwx, xtwy, p);
  return { coef: r.x, method: r.method };
}

/**
 * Weighted ridge regression with an unpenalised intercept, as sklearn's
 * `Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight=w)`: X and y are centred on their
 * w-weighted means, β = (XcᵀWXc + αI)⁻¹XcᵀWyc and intercept = ȳ_w − x̄_wᵀβ. `score` is the
 * weighted R² of `Ridge.score(X, y, sample_weight=w)`: 1 − Σw(y − ŷ)² / Σw(y − ȳ_w)²
 * (1 when y is constant and fitted exactly, else 0 for constant y, as sklearn's r2_score).
 */
export function weightedRidge(
  x: Float64Array,
  n: number,
  p: number,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
  alpha: number,
): { coef: Float64Array; intercept: number; score: number } {
  let wSum = 0;
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    wSum += wi;
    yMean += wi * y[i];
    for (let j = 0; j < p; j++) xMean[j] += wi * x[i * p + j];
  }
  if (!(wSum > 0)) throw new Error('weightedRidge requires a positive total weight');
  yMean /= wSum;
  for (let j = 0; j < p; j++) xMean[j] /= wSum;
  const { xtwx, xtwy } = normalEquations(x, n, p, y, w, xMean, yMean);
  for (let j = 0; j < p; j++) xtwx[j * p + j] += alpha;
  const coef = solveSymmetric(xtwx, xtwy, p).x;
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= xMean[j] * coef[j];
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    let pred = intercept;
    for (let j = 0; j < p; j++) pred += x[i * p + j] * coef[j];
    ssRes += w[i] * (y[i] - pred) ** 2;
    ssTot += w[i] * (y[i] - yMean) ** 2;
  }
  const score = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return { coef, intercept, score };
}

/** XᵀWX and XᵀWy, optionally on columns centred at `xMean` and y centred at `yMean`. */
function normalEquations(x: Float64Array, n: number, p: number, y: ArrayLike<number>, w: ArrayLike<number>, xMean: Float64Array | undefined, yMean: number | undefined) {
  const xtwx = new Float64Array(p * p);
  const xtwy = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    for (let j = 0; j < p; j++) row[j] = x[i * p + j] - (xMean ? xMean[j] : 0);
    const yi = y[i] - (yMean ?? 0);
    for (let j = 0; j < p; j++) {
      const wr = wi * row[j];
      if (wr === 0) continue;
      xtwy[j] += wr * yi;
      for (let k = j; k < p; k++) xtwx[j * p + k] += wr * row[k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) xtwx[j * p + k] = xtwx[k * p + j];
  return { xtwx, xtwy };
}
