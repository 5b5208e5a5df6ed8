/**
 * seedrandom's default generator (ARC4, its `prng()`), rewritten over a typed array so that the library can
 * draw millions of numbers per epoch (dropout masks) without seedrandom's per-call closure, and so that the
 * WebAssembly module can run the same loop (kernels.wat's arc4_fill). Same numbers, in the same order, as
 * `seedrandom(seed)`: test/lib/random.test.ts checks millions of draws against the package itself.
 *
 * The state is 258 bytes: the permutation S (256 bytes), then ARC4's two indices i and j. Each draw takes
 * six bytes of the key stream as a 48-bit numerator n over 2^48, and while n < 2^52 shifts in one more
 * byte x (d grows by 256 each time); then it drops low bits until n < 2^53 and returns (n + x)/d. Every
 * intermediate is an integer below 2^60 with its low bits zero where it exceeds 2^53, so the arithmetic
 * is exact in doubles and in 64-bit integers alike: the module may compute it either way.
 */

/** Bytes of an ARC4 state: S, then i, then j. */
export const ARC4_STATE_BYTES = 258;

/** The dropout mask form of a fill: each draw u becomes `u < keep ? scale : 0`. */
export interface MaskForm {
  keep: number;
  scale: number;
}

/** Fills `out` with the generator's next uniform draws (or masks made of them), advancing `state`. */
export function arc4Fill(state: Uint8Array, out: Float64Array, mask: MaskForm | null): void {
  const S = state;
  let i = S[256];
  let j = S[257];
  const keep = mask === null ? 0 : mask.keep;
  const scale = mask === null ? 0 : mask.scale;
  for (let q = 0; q < out.length; q++) {
    let n = 0;
    for (let c = 0; c < 6; c++) {
      i = (i + 1) & 255;
      const t = S[i];
      j = (j + t) & 255;
      S[i] = S[j];
      S[j] = t;
      n = n * 256 + S[(S[i] + t) & 255];
    }
    let d = 281474976710656; // 2^48
    let x = 0;
    while (n < 4503599627370496) {
      // 2^52
      n = (n + x) * 256;
      d *= 256;
      i = (i + 1) & 255;
      const t = S[i];
      j = (j + t) & 255;
      S[i] = S[j];
      S[j] = t;
      x = S[(S[i] + t) & 255];
    }
    while (n >= 9007199254740992) {
      // 2^53
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    const u = (n + x) / d;
    out[q] = mask === null ? u : u < keep ? scale : 0;
  }
  S[256] = i;
  S[257] = j;
}
