/**
 * Hadamard matrices for balanced repeated replication, chosen as R's `survey:::hadamard(n)` chooses them, so that
 * BRR replicates are R's: Sylvester matrices (R's stored 4 × 4 and 16 × 16 and their doublings are Sylvester
 * matrices in the orientation H[i][j] = 1 − parity(i AND j)) and Paley's construction from a prime p ≡ 3 (mod 4).
 * For the few sizes where R uses its stored 28 × 28 or 36 × 36 matrices (or their doublings) the matrix here is the
 * Sylvester matrix of the next power of two instead: still a valid BRR, but not R's replicates.
 * Matrices are 0/1, one Uint8Array per row; row 0 is all ones and is not used for strata.
 */

/** Sizes of the matrices R stores, in R's order (`survey:::hadamard.sizes`); 28 and 36 are not reproduced here. */
const R_STORED_SIZES = [4, 16, 28, 36] as const;

/** Primes ≡ 3 (mod 4) up to 7919: the primes R's `paley()` accepts. */
const PALEY_PRIMES: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 3; p <= 7919; p += 4) {
    let prime = true;
    for (let d = 2; d * d <= p; d++)
      if (p % d === 0) {
        prime = false;
        break;
      }
    if (prime) out.push(p);
  }
  return out;
})();

function sylvester(size: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let i = 0; i < size; i++) {
    const row = new Uint8Array(size);
    for (let j = 0; j < size; j++) {
      let x = i & j;
      let parity = 0;
      while (x) {
        parity ^= x & 1;
        x >>>= 1;
      }
      row[j] = 1 - parity;
    }
    rows.push(row);
  }
  return rows;
}

/** R's `hadamard.doubler`: [[H, H], [H, 1 − H]]. */
function doubled(h: Uint8Array[]): Uint8Array[] {
  const s = h.length;
  const out: Uint8Array[] = [];
  for (let i = 0; i < 2 * s; i++) {
    const row = new Uint8Array(2 * s);
    const src = h[i % s]!;
    for (let j = 0; j < 2 * s; j++) {
      const v = src[j % s]!;
      row[j] = i >= s && j >= s ? 1 - v : v;
    }
    out.push(row);
  }
  return out;
}

/** Paley's construction for a prime p ≡ 3 (mod 4): size p + 1, first row and column ones. */
function paleyOfPrime(p: number): Uint8Array[] {
  const residue = new Uint8Array(p);
  residue[0] = 1; // R puts 0 with the residues: those entries are 0
  for (let i = 1; i <= Math.floor((p - 1) / 2); i++) residue[(i * i) % p] = 1;
  const rows: Uint8Array[] = [new Uint8Array(p + 1).fill(1)];
  for (let i = 0; i < p; i++) {
    const row = new Uint8Array(p + 1);
    row[0] = 1;
    for (let j = 0; j < p; j++) row[j + 1] = residue[(i + j) % p] ? 0 : 1;
    rows.push(row);
  }
  return rows;
}

/** R's `paley(n, nmax)`: a Paley matrix (possibly doubled) of size > n, or null. */
function paley(n: number, nmax: number = 2 * n): Uint8Array[] | null {
  const nceil = n + 4 - (n % 4);
  let nn = nceil;
  if ((n % 4) + 4 === n % 8) {
    while (nn % 8 === 0) nn /= 2;
    if (PALEY_PRIMES.includes(nn - 1)) {
      let m = paleyOfPrime(nn - 1);
      while (nn < nceil) {
        m = doubled(m);
        nn *= 2;
      }
      return m;
    }
  }
  if (n > PALEY_PRIMES[PALEY_PRIMES.length - 1]!) return null;
  const p = PALEY_PRIMES.find((q) => q >= n)!;
  if (p + 1 > nceil + 4 && nceil + 4 < nmax) return paley(nceil + 3);
  if (p > nmax) return null;
  return paleyOfPrime(p);
}

/**
 * The Hadamard matrix BRR uses for `n` (pseudo-)strata, as R's `hadamard(n)`; `isR` is false when R would use one
 * of its stored 28- or 36-based matrices (then the next Sylvester matrix is returned).
 */
export function hadamardFor(n: number): { rows: Uint8Array[]; isR: boolean } {
  const fallback = () => {
    let size = 4;
    while (size < n + 1) size *= 2;
    return { rows: sylvester(size), isR: false };
  };
  const m = n - (n % 4);
  const precooked = R_STORED_SIZES.findIndex((s) => m < s && m + 4 >= s);
  if (precooked >= 0)
    return precooked <= 1 ? { rows: sylvester(R_STORED_SIZES[precooked]!), isR: true } : fallback();
  const sizes = R_STORED_SIZES.map((s) => s * 2 ** Math.max(0, Math.ceil(Math.log2((n + 1) / s))));
  let best = 0;
  for (let k = 1; k < sizes.length; k++) if (sizes[k]! - n < sizes[best]! - n) best = k;
  if (sizes[best]! - n > 4) {
    const h = paley(n, sizes[best]!);
    if (h !== null) return { rows: h, isR: true };
  }
  if (best <= 1) return { rows: sylvester(sizes[best]!), isR: true };
  return fallback();
}
