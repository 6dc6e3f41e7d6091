/**
 * kernel-lib's DSP hot loops in WebAssembly (AssemblyScript source; `npm run build` compiles it
 * to dist/wasm/dsp.wasm, loaded by src/dsp/wasm.ts). Each function is the same arithmetic, in
 * the same order, as the TypeScript code it stands in for, so both give the same bits (tested);
 * only the speed differs: no bounds checks, and 128-bit SIMD (f64x2) where two lanes do
 * independent work. No fused multiply-add is used anywhere (it would change roundings).
 *
 * Memory is managed by the caller (src/dsp/wasm.ts): every argument is a byte address in this
 * module's memory. Complex data are interleaved (re, im) float64 pairs, one v128 per value,
 * except inside the real FFT (split re / im arrays, see below).
 *
 * - FFT (mirrors src/dsp/fft.ts FFTPlan / RealFFTPlan): `cfftPermuted` (radix-2^2 stages on
 *   interleaved data already in bit-reversed order; FFTPlan.transform through `cfftSplit`),
 *   `rfftForward` (window + gather into bit-reversed slots with the first stage(s) fused, the
 *   rest of the half-size complex FFT, split step), `rfftInverse` (split step, the half-size
 *   inverse FFT, output interleaved back). The real FFT's half-size transform runs on split
 *   re / im arrays, two butterflies per f64x2 (`stagesSplit`, `butterfly`), with twiddle tables
 *   in that layout (fft.ts splitStageTwiddles); the same operations per element as
 *   cfftPermuted, so the same bits.
 * - Resampling (mirrors src/audio/resample.ts runPlan32): `resamplePlan32`, resampy's loop
 *   through a weight plan with the running sum rounded to float32 after every term, and
 *   `resampleTable32`, the same loop with the taps interpolated from resampy's table (ratios
 *   whose offsets do not repeat).
 */

// ---------------------------------------------------------------------------------------------
// complex FFT

/** swap the two lanes of a complex value: (re, im) -> (im, re) */
// @ts-ignore: decorator
@inline function swap(v: v128): v128 {
  return v128.shuffle<f64>(v, v, 1, 0);
}

/**
 * x * w for complex x and a twiddle stored as WR = (wr, wr), WI = (-wi, wi):
 * (xr wr + -(xi wi), xi wr + xr wi): the same roundings as xr*wr - xi*wi, xr*wi + xi*wr.
 */
// @ts-ignore: decorator
@inline function cmul(x: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(x, wr), f64x2.mul(swap(x), wi));
}

/**
 * The butterfly stages of FFTPlan.transformPermuted on `n` interleaved complex values at `z`,
 * already in bit-reversed order. `odd`: log2(n) is odd (one radix-2 pass first). `tw`: the
 * twiddles of the stages with m > 1 (quarter size m = 4, 16, ... or 8, 32, ...), per k < m four
 * v128 (W1R, W1I, W2R, W2I) with the signs of the direction already applied. `inverse`: the
 * +i rotation and the 1/n scaling.
 */
export function cfftPermuted(z: usize, n: i32, odd: i32, tw: usize, inverse: i32): void {
  if (n <= 1) return;
  if (odd) {
    for (let i = 0; i < n; i += 2) {
      const p = z + (<usize>i << 4);
      const a = v128.load(p);
      const b = v128.load(p, 16);
      v128.store(p, f64x2.add(a, b));
      v128.store(p, f64x2.sub(a, b), 16);
    }
  }
  // multiplication by sg*i after a lane swap: forward (sg=-1) (im, -re), inverse (-im, re)
  const rot = inverse ? f64x2(-1.0, 1.0) : f64x2(1.0, -1.0);
  let m = odd ? 2 : 1;
  let twp = tw;
  for (; 4 * m <= n; m *= 4) {
    const m4 = 4 * m;
    if (m == 1) {
      for (let i0 = 0; i0 < n; i0 += 4) {
        const p = z + (<usize>i0 << 4);
        const a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
        const b0 = f64x2.add(a0, a1), b1 = f64x2.sub(a0, a1);
        const b2 = f64x2.add(a2, a3), b3 = f64x2.sub(a2, a3);
        const t1 = f64x2.mul(swap(b3), rot);
        v128.store(p, f64x2.add(b0, b2));
        v128.store(p, f64x2.sub(b0, b2), 32);
        v128.store(p, f64x2.add(b1, t1), 16);
        v128.store(p, f64x2.sub(b1, t1), 48);
      }
      continue;
    }
    const stride = <usize>m << 4;
    for (let s = 0; s < n; s += m4) {
      let p0 = z + (<usize>s << 4);
      let w = twp;
      for (let k = 0; k < m; k++) {
        const p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride;
        const w1r = v128.load(w), w1i = v128.load(w, 16), w2r = v128.load(w, 32), w2i = v128.load(w, 48);
        const a0 = v128.load(p0);
        const a1 = cmul(v128.load(p1), w2r, w2i);
        const a2 = v128.load(p2);
        const a3 = cmul(v128.load(p3), w2r, w2i);
        const b0 = f64x2.add(a0, a1), b1 = f64x2.sub(a0, a1);
        const b2 = f64x2.add(a2, a3), b3 = f64x2.sub(a2, a3);
        const t0 = cmul(b2, w1r, w1i);
        const t1 = f64x2.mul(swap(cmul(b3, w1r, w1i)), rot);
        v128.store(p0, f64x2.add(b0, t0));
        v128.store(p2, f64x2.sub(b0, t0));
        v128.store(p1, f64x2.add(b1, t1));
        v128.store(p3, f64x2.sub(b1, t1));
        p0 += 16;
        w += 64;
      }
    }
    twp += <usize>m << 6;
  }
  if (inverse) {
    const sc = f64x2.splat(1.0 / <f64>n);
    for (let i = 0; i < n; i++) {
      const p = z + (<usize>i << 4);
      v128.store(p, f64x2.mul(v128.load(p), sc));
    }
  }
}

/**
 * FFTPlan.transform on split arrays (float64 re/im, n values): z[rev[j]] = (re[j], im[j]),
 * the stages, then back to re/im.
 */
export function cfftSplit(re: usize, im: usize, z: usize, n: i32, rev: usize, odd: i32, tw: usize, inverse: i32): void {
  for (let j = 0; j < n; j++) {
    const q = load<u32>(rev + (<usize>j << 2));
    const p = z + (<usize>q << 4);
    store<f64>(p, load<f64>(re + (<usize>j << 3)));
    store<f64>(p, load<f64>(im + (<usize>j << 3)), 8);
  }
  cfftPermuted(z, n, odd, tw, inverse);
  for (let j = 0; j < n; j++) {
    const p = z + (<usize>j << 4);
    store<f64>(re + (<usize>j << 3), load<f64>(p));
    store<f64>(im + (<usize>j << 3), load<f64>(p, 8));
  }
}

// ---------------------------------------------------------------------------------------------
// real FFT (size n = 2h): the complex FFT of size h, in the split layout, plus a split step
//
// The half-size transform works on split data: the h real parts at zr, the h imaginary parts at
// zi (float64 each), two butterflies (k, k + 1) per f64x2 vector, so a complex product is four
// multiplications and an addition and a subtraction with no lane swaps. Every element gets the
// same operations on the same operands as in cfftPermuted (its x wr + -(xi wi) is xr wr - xi wi
// exactly, and its multiplications by +-1 are exact sign flips folded here into the adds), so
// the bits are the same. Twiddles, per stage with m > 1 and per pair (k, k + 1): four v128
// (c1, s1, c2, s2), lanes k and k + 1, sines with the direction's sign (fft.ts
// splitStageTwiddles). The bit-reversal packing reads each slot's input (a gather through rev,
// an involution) and does the first stage(s) on the way: the radix-2 pass and the m = 2 stage
// when log2(h) is odd, the m = 1 stage when it is even.

/** the input value of index j (interleaved complex at src), times the window's when `useWin` */
// @ts-ignore: decorator
@inline function vin(src: usize, win: usize, j: u32, useWin: bool): v128 {
  const v = v128.load(src + (<usize>j << 4));
  return useWin ? f64x2.mul(v, v128.load(win + (<usize>j << 4))) : v;
}

/**
 * Slots q < h (h >= 8) of zr/zi get the input value rev[q] (vin), with the first stages done:
 * log2(h) odd: the radix-2 pass and the m = 2 stage (twiddles at tw); even: the m = 1 stage.
 */
// @ts-ignore: decorator
@inline function packFirst(src: usize, win: usize, zr: usize, zi: usize, h: i32, rev: usize, odd: i32, tw: usize, useWin: bool, inv: bool): void {
  if (odd) {
    const w1r = v128.load(tw), w1i = v128.load(tw, 16), w2r = v128.load(tw, 32), w2i = v128.load(tw, 48);
    for (let s = 0; s < h; s += 8) {
      const q = rev + (<usize>s << 2);
      // the radix-2 pass on the slot pairs (s + 2j, s + 2j + 1): sum and difference, which are
      // lanes k = 0, 1 of the m = 2 butterfly's value j
      let A = vin(src, win, load<u32>(q), useWin), B = vin(src, win, load<u32>(q, 4), useWin);
      let S = f64x2.add(A, B), D = f64x2.sub(A, B);
      const a0r = v128.shuffle<f64>(S, D, 0, 2), a0i = v128.shuffle<f64>(S, D, 1, 3);
      A = vin(src, win, load<u32>(q, 8), useWin); B = vin(src, win, load<u32>(q, 12), useWin);
      S = f64x2.add(A, B); D = f64x2.sub(A, B);
      const x1r = v128.shuffle<f64>(S, D, 0, 2), x1i = v128.shuffle<f64>(S, D, 1, 3);
      A = vin(src, win, load<u32>(q, 16), useWin); B = vin(src, win, load<u32>(q, 20), useWin);
      S = f64x2.add(A, B); D = f64x2.sub(A, B);
      const a2r = v128.shuffle<f64>(S, D, 0, 2), a2i = v128.shuffle<f64>(S, D, 1, 3);
      A = vin(src, win, load<u32>(q, 24), useWin); B = vin(src, win, load<u32>(q, 28), useWin);
      S = f64x2.add(A, B); D = f64x2.sub(A, B);
      const x3r = v128.shuffle<f64>(S, D, 0, 2), x3i = v128.shuffle<f64>(S, D, 1, 3);
      const o = <usize>s << 3;
      butterfly(zr + o, zi + o, 16, a0r, a0i, x1r, x1i, a2r, a2i, x3r, x3i, w1r, w1i, w2r, w2i, inv);
    }
  } else {
    for (let s = 0; s < h; s += 8) {
      const q = rev + (<usize>s << 2);
      // the m = 1 butterflies of the groups s and s + 4, one per lane
      let A = vin(src, win, load<u32>(q), useWin), B = vin(src, win, load<u32>(q, 16), useWin);
      const a0r = v128.shuffle<f64>(A, B, 0, 2), a0i = v128.shuffle<f64>(A, B, 1, 3);
      A = vin(src, win, load<u32>(q, 4), useWin); B = vin(src, win, load<u32>(q, 20), useWin);
      const a1r = v128.shuffle<f64>(A, B, 0, 2), a1i = v128.shuffle<f64>(A, B, 1, 3);
      A = vin(src, win, load<u32>(q, 8), useWin); B = vin(src, win, load<u32>(q, 24), useWin);
      const a2r = v128.shuffle<f64>(A, B, 0, 2), a2i = v128.shuffle<f64>(A, B, 1, 3);
      A = vin(src, win, load<u32>(q, 12), useWin); B = vin(src, win, load<u32>(q, 28), useWin);
      const a3r = v128.shuffle<f64>(A, B, 0, 2), a3i = v128.shuffle<f64>(A, B, 1, 3);
      const b0r = f64x2.add(a0r, a1r), b0i = f64x2.add(a0i, a1i);
      const b1r = f64x2.sub(a0r, a1r), b1i = f64x2.sub(a0i, a1i);
      const b2r = f64x2.add(a2r, a3r), b2i = f64x2.add(a2i, a3i);
      const b3r = f64x2.sub(a2r, a3r), b3i = f64x2.sub(a2i, a3i);
      const o0r = f64x2.add(b0r, b2r), o0i = f64x2.add(b0i, b2i);
      const o2r = f64x2.sub(b0r, b2r), o2i = f64x2.sub(b0i, b2i);
      // b1 +- (sg i) b3: forward (b3i, -b3r), inverse (-b3i, b3r)
      let o1r: v128, o1i: v128, o3r: v128, o3i: v128;
      if (inv) {
        o1r = f64x2.sub(b1r, b3i); o1i = f64x2.add(b1i, b3r);
        o3r = f64x2.add(b1r, b3i); o3i = f64x2.sub(b1i, b3r);
      } else {
        o1r = f64x2.add(b1r, b3i); o1i = f64x2.sub(b1i, b3r);
        o3r = f64x2.sub(b1r, b3i); o3i = f64x2.add(b1i, b3r);
      }
      // back to slot order: lane 0 is group s, lane 1 group s + 4
      const pr = zr + (<usize>s << 3), pi = zi + (<usize>s << 3);
      v128.store(pr, v128.shuffle<f64>(o0r, o1r, 0, 2));
      v128.store(pr, v128.shuffle<f64>(o2r, o3r, 0, 2), 16);
      v128.store(pr, v128.shuffle<f64>(o0r, o1r, 1, 3), 32);
      v128.store(pr, v128.shuffle<f64>(o2r, o3r, 1, 3), 48);
      v128.store(pi, v128.shuffle<f64>(o0i, o1i, 0, 2));
      v128.store(pi, v128.shuffle<f64>(o2i, o3i, 0, 2), 16);
      v128.store(pi, v128.shuffle<f64>(o0i, o1i, 1, 3), 32);
      v128.store(pi, v128.shuffle<f64>(o2i, o3i, 1, 3), 48);
    }
  }
}

/**
 * packFirst for h = 2 or 4 (one radix-2 pass, or one m = 1 stage): interleaved values as in
 * cfftPermuted, stored to the split slots.
 */
function packSmall(src: usize, win: usize, zr: usize, zi: usize, h: i32, rev: usize, inverse: i32): void {
  const useWin = win != 0;
  const a0 = vin(src, win, load<u32>(rev), useWin), a1 = vin(src, win, load<u32>(rev, 4), useWin);
  const b0 = f64x2.add(a0, a1), b1 = f64x2.sub(a0, a1);
  if (h == 2) {
    storeSplit(zr, zi, 0, b0);
    storeSplit(zr, zi, 1, b1);
    return;
  }
  const a2 = vin(src, win, load<u32>(rev, 8), useWin), a3 = vin(src, win, load<u32>(rev, 12), useWin);
  const b2 = f64x2.add(a2, a3), b3 = f64x2.sub(a2, a3);
  const rot = inverse ? f64x2(-1.0, 1.0) : f64x2(1.0, -1.0);
  const t1 = f64x2.mul(swap(b3), rot);
  storeSplit(zr, zi, 0, f64x2.add(b0, b2));
  storeSplit(zr, zi, 2, f64x2.sub(b0, b2));
  storeSplit(zr, zi, 1, f64x2.add(b1, t1));
  storeSplit(zr, zi, 3, f64x2.sub(b1, t1));
}

// @ts-ignore: decorator
@inline function storeSplit(zr: usize, zi: usize, q: i32, v: v128): void {
  store<f64>(zr + (<usize>q << 3), f64x2.extract_lane(v, 0));
  store<f64>(zi + (<usize>q << 3), f64x2.extract_lane(v, 1));
}

/**
 * The radix-2^2 butterfly of two lanes (k, k + 1) on split values: x1, x3 times w2, then the
 * two radix-2 levels with w1 and w1 (sg i); results stored at pr/pi + j * stride (bytes).
 */
// @ts-ignore: decorator
@inline function butterfly(
  pr: usize, pi: usize, stride: usize,
  a0r: v128, a0i: v128, x1r: v128, x1i: v128, a2r: v128, a2i: v128, x3r: v128, x3i: v128,
  w1r: v128, w1i: v128, w2r: v128, w2i: v128, inv: bool,
): void {
  const a1r = f64x2.sub(f64x2.mul(x1r, w2r), f64x2.mul(x1i, w2i));
  const a1i = f64x2.add(f64x2.mul(x1i, w2r), f64x2.mul(x1r, w2i));
  const a3r = f64x2.sub(f64x2.mul(x3r, w2r), f64x2.mul(x3i, w2i));
  const a3i = f64x2.add(f64x2.mul(x3i, w2r), f64x2.mul(x3r, w2i));
  const b0r = f64x2.add(a0r, a1r), b0i = f64x2.add(a0i, a1i);
  const b1r = f64x2.sub(a0r, a1r), b1i = f64x2.sub(a0i, a1i);
  const b2r = f64x2.add(a2r, a3r), b2i = f64x2.add(a2i, a3i);
  const b3r = f64x2.sub(a2r, a3r), b3i = f64x2.sub(a2i, a3i);
  const t0r = f64x2.sub(f64x2.mul(b2r, w1r), f64x2.mul(b2i, w1i));
  const t0i = f64x2.add(f64x2.mul(b2i, w1r), f64x2.mul(b2r, w1i));
  const ur = f64x2.sub(f64x2.mul(b3r, w1r), f64x2.mul(b3i, w1i));
  const ui = f64x2.add(f64x2.mul(b3i, w1r), f64x2.mul(b3r, w1i));
  v128.store(pr, f64x2.add(b0r, t0r));
  v128.store(pi, f64x2.add(b0i, t0i));
  v128.store(pr + 2 * stride, f64x2.sub(b0r, t0r));
  v128.store(pi + 2 * stride, f64x2.sub(b0i, t0i));
  // b1 +- (sg i) u: forward (ui, -ur), inverse (-ui, ur)
  if (inv) {
    v128.store(pr + stride, f64x2.sub(b1r, ui));
    v128.store(pi + stride, f64x2.add(b1i, ur));
    v128.store(pr + 3 * stride, f64x2.add(b1r, ui));
    v128.store(pi + 3 * stride, f64x2.sub(b1i, ur));
  } else {
    v128.store(pr + stride, f64x2.add(b1r, ui));
    v128.store(pi + stride, f64x2.sub(b1i, ur));
    v128.store(pr + 3 * stride, f64x2.sub(b1r, ui));
    v128.store(pi + 3 * stride, f64x2.add(b1i, ur));
  }
}

/** The stages of quarter size m, 4m, ... (m >= 2) on split data, twiddles from tw. */
// @ts-ignore: decorator
@inline function stagesSplit(zr: usize, zi: usize, n: i32, m: i32, tw: usize, inv: bool): void {
  for (; 4 * m <= n; m *= 4) {
    const st = <usize>m << 3;
    for (let s = 0; s < n; s += 4 * m) {
      let pr = zr + (<usize>s << 3), pi = zi + (<usize>s << 3);
      let w = tw;
      for (let k = 0; k < m; k += 2) {
        butterfly(
          pr, pi, st,
          v128.load(pr), v128.load(pi), v128.load(pr + st), v128.load(pi + st),
          v128.load(pr + 2 * st), v128.load(pi + 2 * st), v128.load(pr + 3 * st), v128.load(pi + 3 * st),
          v128.load(w), v128.load(w, 16), v128.load(w, 32), v128.load(w, 48), inv,
        );
        pr += 16;
        pi += 16;
        w += 64;
      }
    }
    tw += <usize>m << 5;
  }
}

/**
 * The half-size transform of the real FFT: slot q of zr/zi gets input value rev[q] (interleaved
 * complex at src, times the window at win when win != 0), then all stages (no 1/h scaling).
 */
function cfftHalf(src: usize, win: usize, zr: usize, zi: usize, h: i32, rev: usize, odd: i32, tw: usize, inverse: i32): void {
  if (h < 8) {
    packSmall(src, win, zr, zi, h, rev, inverse);
    return;
  }
  if (inverse) {
    packFirst(src, 0, zr, zi, h, rev, odd, tw, false, true);
    if (odd) stagesSplit(zr, zi, h, 8, tw + 64, true);
    else stagesSplit(zr, zi, h, 4, tw, true);
  } else {
    if (win) packFirst(src, win, zr, zi, h, rev, odd, tw, true, false);
    else packFirst(src, 0, zr, zi, h, rev, odd, tw, false, false);
    if (odd) stagesSplit(zr, zi, h, 8, tw + 64, false);
    else stagesSplit(zr, zi, h, 4, tw, false);
  }
}

/**
 * RealFFTPlan.forward / forwardRange: x (float64, `len` samples at `x`, read from `offset`,
 * zeros outside [0, len)) times the window (float64 at `win`, or none when win = 0), packed as
 * z[j] = (x[2j] w[2j], x[2j+1] w[2j+1]) into the split slots zr = z, zi = z + 8h in bit-reversed
 * order, transformed, then split: bins kLo..kHi (inclusive, of 0..h) to outRe/outIm (float64
 * arrays). `z`: 32h bytes of scratch (frames that reach past x are staged at z + 16h).
 * `tw`: the half plan's forward split-layout twiddles, `rev`: its bit reversal (u32), `spl`:
 * c[k] (k < h) then the signed sines s[k] = -sin.
 */
export function rfftForward(
  x: usize, len: i32, offset: i32, win: usize,
  z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize,
  outRe: usize, outIm: usize, kLo: i32, kHi: i32,
): void {
  const zr = z, zi = z + (<usize>h << 3);
  if (offset >= 0 && offset + 2 * h <= len) {
    cfftHalf(x + (<usize>offset << 3), win, zr, zi, h, rev, odd, tw, 0);
  } else {
    // the frame staged at z + 16h: zeros, the in-range samples x[offset + i] for i0 <= i < i1
    // (times the window: only in-range samples are multiplied, as the TypeScript does; 0 * w
    // would also be 0, but -0 or NaN windows must not leak into the padding), zeros
    const fr = z + (<usize>h << 4);
    const n = 2 * h;
    const i0 = min(n, max(0, -offset)), i1 = max(i0, min(n, len - offset));
    memory.fill(fr, 0, <usize>i0 << 3);
    const xs = x + (<isize>offset << 3);
    if (win) {
      for (let i = i0; i < i1; i++) {
        store<f64>(fr + (<usize>i << 3), load<f64>(xs + (<usize>i << 3)) * load<f64>(win + (<usize>i << 3)));
      }
    } else {
      if (i1 > i0) memory.copy(fr + (<usize>i0 << 3), xs + (<usize>i0 << 3), <usize>(i1 - i0) << 3);
    }
    memory.fill(fr + (<usize>i1 << 3), 0, <usize>(n - i1) << 3);
    cfftHalf(fr, 0, zr, zi, h, rev, odd, tw, 0);
  }
  splitForward(zr, zi, h, spl, outRe, outIm, kLo, kHi);
}

function splitForward(zr: usize, zi: usize, h: i32, spl: usize, outRe: usize, outIm: usize, kLo: i32, kHi: i32): void {
  if (kLo <= 0) {
    store<f64>(outRe, load<f64>(zr) + load<f64>(zi));
    store<f64>(outIm, 0.0);
  }
  if (kHi >= h) {
    store<f64>(outRe + (<usize>h << 3), load<f64>(zr) - load<f64>(zi));
    store<f64>(outIm + (<usize>h << 3), 0.0);
  }
  const k0 = kLo > 1 ? kLo : 1;
  const k1 = kHi < h - 1 ? kHi : h - 1;
  const sp = spl + (<usize>h << 3);
  const half = f64x2.splat(0.5), mhalf = f64x2.splat(-0.5);
  let k = k0;
  if (k & 1 && k <= k1) splitOne(zr, zi, h, spl, sp, outRe, outIm, k++);
  // bins k, k + 1 (k even: aligned): A = Z[k], B = conj(Z[h - k]); E = (A + B) / 2,
  // O = (A - B) / (2i), X = E + w O. B's lanes Z[h - k], Z[h - k - 1] come from the aligned
  // pairs at h - k and h - k - 2 (the latter is the next pair's first)
  if (k < k1) {
    let nr = v128.load(zr + (<usize>(h - k) << 3)), ni = v128.load(zi + (<usize>(h - k) << 3));
    for (; k < k1; k += 2) {
      const o = <usize>k << 3, ob = <usize>(h - k - 2) << 3;
      const pr = v128.load(zr + ob), pi = v128.load(zi + ob);
      const ar = v128.load(zr + o), ai = v128.load(zi + o);
      const br = v128.shuffle<f64>(nr, pr, 0, 3), bi = v128.shuffle<f64>(ni, pi, 0, 3);
      nr = pr;
      ni = pi;
      const er = f64x2.mul(half, f64x2.add(ar, br)), ei = f64x2.mul(half, f64x2.sub(ai, bi));
      const dr = f64x2.sub(ar, br), di = f64x2.add(ai, bi);
      const or = f64x2.mul(di, half), oi = f64x2.mul(dr, mhalf);
      const c = v128.load(spl + o), s = v128.load(sp + o);
      v128.store(outRe + o, f64x2.add(er, f64x2.sub(f64x2.mul(or, c), f64x2.mul(oi, s))));
      v128.store(outIm + o, f64x2.add(ei, f64x2.add(f64x2.mul(oi, c), f64x2.mul(or, s))));
    }
  }
  if (k == k1) splitOne(zr, zi, h, spl, sp, outRe, outIm, k);
}

/** splitForward's bin k alone (scalar, the same operations) */
// @ts-ignore: decorator
@inline function splitOne(zr: usize, zi: usize, h: i32, spl: usize, sp: usize, outRe: usize, outIm: usize, k: i32): void {
  const o = <usize>k << 3, ob = <usize>(h - k) << 3;
  const ar = load<f64>(zr + o), ai = load<f64>(zi + o);
  const br = load<f64>(zr + ob), bi = load<f64>(zi + ob);
  const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
  const dr = ar - br, di = ai + bi;
  const or = di * 0.5, oi = dr * -0.5;
  const c = load<f64>(spl + o), s = load<f64>(sp + o);
  store<f64>(outRe + o, er + (or * c - oi * s));
  store<f64>(outIm + o, ei + (oi * c + or * s));
}

/**
 * RealFFTPlan.inverse: bins inRe/inIm (float64, 0..h) to 2h real samples, left at z as the h
 * complex values read as 2h float64 (scaled by 1/n); `z`: 32h bytes (the values Z[k] are staged
 * at z, the split transform runs at zr = z + 16h, zi = z + 24h). `spl`: c[k] (k < h) then
 * s[k] = +sin; `tw`: the half plan's inverse split-layout twiddles.
 */
export function rfftInverse(inRe: usize, inIm: usize, z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize): void {
  const x0 = load<f64>(inRe), xh = load<f64>(inRe + (<usize>h << 3));
  store<f64>(z, 0.5 * (x0 + xh));
  store<f64>(z, 0.5 * (x0 - xh), 8);
  const sp = spl + (<usize>h << 3);
  const half = f64x2.splat(0.5);
  // Z[k] = E + i O, E = (X[k] + conj(X[h-k])) / 2, O = (X[k] - conj(X[h-k])) / 2 * e^{+2 pi i k / n}:
  // k = 1 alone, then k, k + 1 for even k (aligned; X[h - k], X[h - k - 1] from the aligned
  // pairs at h - k and h - k - 2, the latter the next pair's first)
  inverseOne(inRe, inIm, z, h, spl, sp, 1);
  if (h > 2) {
    let nr = v128.load(inRe + (<usize>(h - 2) << 3)), ni = v128.load(inIm + (<usize>(h - 2) << 3));
    for (let k = 2; k < h; k += 2) {
      const o = <usize>k << 3, ob = <usize>(h - k - 2) << 3;
      const pr = v128.load(inRe + ob), pi = v128.load(inIm + ob);
      const ar = v128.load(inRe + o), ai = v128.load(inIm + o);
      const br = v128.shuffle<f64>(nr, pr, 0, 3), bi = v128.shuffle<f64>(ni, pi, 0, 3);
      nr = pr;
      ni = pi;
      const er = f64x2.mul(half, f64x2.add(ar, br)), ei = f64x2.mul(half, f64x2.sub(ai, bi));
      const dr = f64x2.mul(half, f64x2.sub(ar, br)), di = f64x2.mul(half, f64x2.add(ai, bi));
      const c = v128.load(spl + o), s = v128.load(sp + o);
      const or = f64x2.sub(f64x2.mul(dr, c), f64x2.mul(di, s));
      const oi = f64x2.add(f64x2.mul(di, c), f64x2.mul(dr, s));
      const zr = f64x2.sub(er, oi), zi = f64x2.add(ei, or);
      const p = z + (<usize>k << 4);
      v128.store(p, v128.shuffle<f64>(zr, zi, 0, 2));
      v128.store(p, v128.shuffle<f64>(zr, zi, 1, 3), 16);
    }
  }
  const zr = z + (<usize>h << 4), zi = z + (<usize>h << 4) + (<usize>h << 3);
  cfftHalf(z, 0, zr, zi, h, rev, odd, tw, 1);
  // scaled by 1/h and interleaved back: sample 2q = Re Z[q], 2q + 1 = Im Z[q]
  const sc = f64x2.splat(1.0 / <f64>h);
  for (let q = 0; q < h; q += 2) {
    const o = <usize>q << 3;
    const r = f64x2.mul(v128.load(zr + o), sc), i = f64x2.mul(v128.load(zi + o), sc);
    const p = z + (<usize>q << 4);
    v128.store(p, v128.shuffle<f64>(r, i, 0, 2));
    v128.store(p, v128.shuffle<f64>(r, i, 1, 3), 16);
  }
}

/** rfftInverse's Z[k] alone (scalar, the same operations), stored interleaved at z + 16 k */
// @ts-ignore: decorator
@inline function inverseOne(inRe: usize, inIm: usize, z: usize, h: i32, spl: usize, sp: usize, k: i32): void {
  const o = <usize>k << 3, ob = <usize>(h - k) << 3;
  const ar = load<f64>(inRe + o), ai = load<f64>(inIm + o);
  const br = load<f64>(inRe + ob), bi = load<f64>(inIm + ob);
  const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
  const dr = 0.5 * (ar - br), di = 0.5 * (ai + bi);
  const c = load<f64>(spl + o), s = load<f64>(sp + o);
  const p = z + (<usize>k << 4);
  store<f64>(p, er - (di * c + dr * s));
  store<f64>(p, ei + (dr * c - di * s), 8);
}

// ---------------------------------------------------------------------------------------------
// resampy's loop through a weight plan, float32 accumulation

// @ts-ignore: decorator
@inline function pair(p0: usize, p1: usize): v128 {
  return v128.load_lane<f64>(p1, v128.load64_splat(p0), 1);
}
// @ts-ignore: decorator
@inline function step32(acc: v128, w: v128, x: v128): v128 {
  // per lane: acc = f32(acc + w * x), as numba's `y[t] += weight * x[...]` on a float32 y
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(acc, f64x2.mul(w, x))));
}

/**
 * P[m] = (x[m], x[m + delta]) for m < len (a sample past the end is 0): the sample pairs that
 * two neighbouring outputs read when their input positions differ by delta.
 */
export function pairInterleave(x: usize, len: i32, delta: i32, out: usize): void {
  for (let m = 0; m < len; m++) {
    const b: f64 = m + delta < len ? load<f64>(x + (<usize>(m + delta) << 3)) : 0.0;
    v128.store(out + (<usize>m << 4), f64x2.replace_lane(f64x2.splat(load<f64>(x + (<usize>m << 3))), 1, b));
  }
}

/**
 * `count` steps of sixteen float32 rounding chains (two per f64x2 accumulator at acc): chain
 * pair q reads its sample pairs from the address at xs[q], moving `xh` bytes a step (+16
 * forward, -16 backward), and its two weights from the addresses at ws[2q], ws[2q + 1], walking
 * up 8 bytes a step. Each step of a chain is a dependent add and two conversions, so the
 * chains' latency, not the arithmetic, bounds the speed: sixteen in flight measured 1.5-1.8x
 * faster than eight (2 -> 1 and 16 kHz -> 22050 Hz, AMD EPYC).
 */
// @ts-ignore: decorator
@inline function wing16(acc: usize, xs: usize, xh: isize, ws: usize, count: i32): void {
  let a0 = v128.load(acc), a1 = v128.load(acc, 16), a2 = v128.load(acc, 32), a3 = v128.load(acc, 48);
  let a4 = v128.load(acc, 64), a5 = v128.load(acc, 80), a6 = v128.load(acc, 96), a7 = v128.load(acc, 112);
  const x0 = load<usize>(xs), x1 = load<usize>(xs, 4), x2 = load<usize>(xs, 8), x3 = load<usize>(xs, 12);
  const x4 = load<usize>(xs, 16), x5 = load<usize>(xs, 20), x6 = load<usize>(xs, 24), x7 = load<usize>(xs, 28);
  const w0 = load<usize>(ws), w1 = load<usize>(ws, 4), w2 = load<usize>(ws, 8), w3 = load<usize>(ws, 12);
  const w4 = load<usize>(ws, 16), w5 = load<usize>(ws, 20), w6 = load<usize>(ws, 24), w7 = load<usize>(ws, 28);
  const w8 = load<usize>(ws, 32), w9 = load<usize>(ws, 36), w10 = load<usize>(ws, 40), w11 = load<usize>(ws, 44);
  const w12 = load<usize>(ws, 48), w13 = load<usize>(ws, 52), w14 = load<usize>(ws, 56), w15 = load<usize>(ws, 60);
  let xo: isize = 0;
  for (let o: usize = 0, e: usize = <usize>count << 3; o < e; o += 8) {
    a0 = step32(a0, pair(w0 + o, w1 + o), v128.load(x0 + xo));
    a1 = step32(a1, pair(w2 + o, w3 + o), v128.load(x1 + xo));
    a2 = step32(a2, pair(w4 + o, w5 + o), v128.load(x2 + xo));
    a3 = step32(a3, pair(w6 + o, w7 + o), v128.load(x3 + xo));
    a4 = step32(a4, pair(w8 + o, w9 + o), v128.load(x4 + xo));
    a5 = step32(a5, pair(w10 + o, w11 + o), v128.load(x5 + xo));
    a6 = step32(a6, pair(w12 + o, w13 + o), v128.load(x6 + xo));
    a7 = step32(a7, pair(w14 + o, w15 + o), v128.load(x7 + xo));
    xo += xh;
  }
  v128.store(acc, a0); v128.store(acc, a1, 16); v128.store(acc, a2, 32); v128.store(acc, a3, 48);
  v128.store(acc, a4, 64); v128.store(acc, a5, 80); v128.store(acc, a6, 96); v128.store(acc, a7, 112);
}

/**
 * wing16 when all sixteen chains read the same weights (`wp`, walking up 8 bytes a step): one
 * splat load a step instead of sixteen loads and eight lane inserts. Every lane does the same
 * arithmetic as in wing16, so the bits are the same. This is the case of a plan with one
 * combination (2 -> 1, the CQT's octave decimation, and 44.1 -> 22.05 kHz).
 */
// @ts-ignore: decorator
@inline function wing16u(acc: usize, xs: usize, xh: isize, wp: usize, count: i32): void {
  let a0 = v128.load(acc), a1 = v128.load(acc, 16), a2 = v128.load(acc, 32), a3 = v128.load(acc, 48);
  let a4 = v128.load(acc, 64), a5 = v128.load(acc, 80), a6 = v128.load(acc, 96), a7 = v128.load(acc, 112);
  const x0 = load<usize>(xs), x1 = load<usize>(xs, 4), x2 = load<usize>(xs, 8), x3 = load<usize>(xs, 12);
  const x4 = load<usize>(xs, 16), x5 = load<usize>(xs, 20), x6 = load<usize>(xs, 24), x7 = load<usize>(xs, 28);
  let xo: isize = 0;
  for (let o: usize = 0, e: usize = <usize>count << 3; o < e; o += 8) {
    const w = v128.load64_splat(wp + o);
    a0 = step32(a0, w, v128.load(x0 + xo));
    a1 = step32(a1, w, v128.load(x1 + xo));
    a2 = step32(a2, w, v128.load(x2 + xo));
    a3 = step32(a3, w, v128.load(x3 + xo));
    a4 = step32(a4, w, v128.load(x4 + xo));
    a5 = step32(a5, w, v128.load(x5 + xo));
    a6 = step32(a6, w, v128.load(x6 + xo));
    a7 = step32(a7, w, v128.load(x7 + xo));
    xo += xh;
  }
  v128.store(acc, a0); v128.store(acc, a1, 16); v128.store(acc, a2, 32); v128.store(acc, a3, 48);
  v128.store(acc, a4, 64); v128.store(acc, a5, 80); v128.store(acc, a6, 96); v128.store(acc, a7, 112);
}

/**
 * wing16u for 24 chains (twelve accumulators) whose sample pairs lie 64 bytes apart (xs[q] =
 * x0 + 64 q: neighbouring outputs four samples apart in pairs, i.e. two input samples per
 * output, 2 -> 1 and 44.1 -> 22.05 kHz): one address register and constant offsets instead of
 * walking pointers. Each step of a chain is a dependent add and two conversions, so the
 * chains' latency bounds the speed: 24 in flight measured 1.4x faster than 16 (55125 -> 27563
 * samples, AMD EPYC); 32 gained nothing more. The same steps per chain.
 */
// @ts-ignore: decorator
@inline function wing24s(acc: usize, x0: usize, xh: isize, wp: usize, count: i32): void {
  let a0 = v128.load(acc), a1 = v128.load(acc, 16), a2 = v128.load(acc, 32), a3 = v128.load(acc, 48);
  let a4 = v128.load(acc, 64), a5 = v128.load(acc, 80), a6 = v128.load(acc, 96), a7 = v128.load(acc, 112);
  let a8 = v128.load(acc, 128), a9 = v128.load(acc, 144), a10 = v128.load(acc, 160), a11 = v128.load(acc, 176);
  let xp = x0;
  for (let o: usize = 0, e: usize = <usize>count << 3; o < e; o += 8) {
    const w = v128.load64_splat(wp + o);
    a0 = step32(a0, w, v128.load(xp));
    a1 = step32(a1, w, v128.load(xp, 64));
    a2 = step32(a2, w, v128.load(xp, 128));
    a3 = step32(a3, w, v128.load(xp, 192));
    a4 = step32(a4, w, v128.load(xp, 256));
    a5 = step32(a5, w, v128.load(xp, 320));
    a6 = step32(a6, w, v128.load(xp, 384));
    a7 = step32(a7, w, v128.load(xp, 448));
    a8 = step32(a8, w, v128.load(xp, 512));
    a9 = step32(a9, w, v128.load(xp, 576));
    a10 = step32(a10, w, v128.load(xp, 640));
    a11 = step32(a11, w, v128.load(xp, 704));
    xp += xh;
  }
  v128.store(acc, a0); v128.store(acc, a1, 16); v128.store(acc, a2, 32); v128.store(acc, a3, 48);
  v128.store(acc, a4, 64); v128.store(acc, a5, 80); v128.store(acc, a6, 96); v128.store(acc, a7, 112);
  v128.store(acc, a8, 128); v128.store(acc, a9, 144); v128.store(acc, a10, 160); v128.store(acc, a11, 176);
}

/** Whether the sixteen weight addresses at ws are all the same. */
// @ts-ignore: decorator
@inline function sameWeights(ws: usize): bool {
  const a = v128.load(ws);
  const s = i32x4.splat(load<i32>(ws));
  const e = v128.and(v128.and(i32x4.eq(a, s), i32x4.eq(v128.load(ws, 16), s)), v128.and(i32x4.eq(v128.load(ws, 32), s), i32x4.eq(v128.load(ws, 48), s)));
  return i32x4.all_true(e);
}

/**
 * Whether every lane pair (outputs 2q, 2q + 1 of a group of sixteen, input indices at nn) has
 * its pairInterleave copy in ptab (input distance below 64, made).
 */
// @ts-ignore: decorator
@inline function lanePairsPaired(nn: usize, ptab: usize): bool {
  let paired = true;
  for (let q = 0; q < 8; q++) {
    const e = <u32>(load<i32>(nn + (<usize>(2 * q + 1) << 2)) - load<i32>(nn + (<usize>(2 * q) << 2)));
    if (e >= 64 || load<usize>(ptab + (<usize>e << 2)) == 0) paired = false;
  }
  return paired;
}

/** xs[q] = the address of lane pair q's sample pair at its first output's input index + shift. */
// @ts-ignore: decorator
@inline function pairStarts(xs: usize, nn: usize, ptab: usize, shift: i32): void {
  for (let q = 0; q < 8; q++) {
    const n0 = load<i32>(nn + (<usize>(2 * q) << 2));
    const e = <usize>(load<i32>(nn + (<usize>(2 * q + 1) << 2)) - n0);
    store<usize>(xs + (<usize>q << 2), load<usize>(ptab + (e << 2)) + (<usize>(n0 + shift) << 4));
  }
}

/** One output of resamplePlan32 from partial sum `a` after `i0` left-wing and `k0` right-wing terms. */
function tail32(a: f64, x: usize, n: i32, wl: usize, iMax: i32, i0: i32, wr: usize, kMax: i32, k0: i32): f64 {
  for (let i = i0; i < iMax; i++) a = <f64><f32>(a + load<f64>(wl + (<usize>i << 3)) * load<f64>(x + (<usize>(n - i) << 3)));
  for (let k = k0; k < kMax; k++) a = <f64><f32>(a + load<f64>(wr + (<usize>k << 3)) * load<f64>(x + (<usize>(n + 1 + k) << 3)));
  return a;
}

/**
 * resample.ts runPlan32: y[t] (float32) = the float32-rounded running sum over the left wing
 * (w[s + i] * x[n - i], i < min(n + 1, left)) then the right wing (w[s + L + k] * x[n + 1 + k],
 * k < min(nOrig - n - 1, right)), x given as float64 (exact copies of the float32 samples).
 * The sum is a chain of dependent roundings, so throughput comes from running outputs side by
 * side: sixteen at a time, two per f64x2 lane pair; each lane does exactly the scalar sequence.
 * A lane pair (t, t + 1) reads its two samples with one load from pairInterleave's copy for
 * its input distance delta = n[t + 1] - n[t] (for a rate ratio there are two such distances).
 * `nArr`, `combo`: i32 per output; `start`, `left`, `right`: i32 per combination; `w`: f64 taps.
 * `ptab`: 64 addresses (u32), of pairInterleave(x, delta) for delta = 0..63, 0 where not
 * made; a group with a lane pair lacking one runs one output at a time.
 */
export function resamplePlan32(
  x: usize, nOrig: i32, y: usize, nOut: i32,
  nArr: usize, combo: usize, start: usize, left: usize, right: usize, w: usize, ptab: usize,
): void {
  const G = 16;
  const nn = memory.data(4 * G), iM = memory.data(4 * G), kM = memory.data(4 * G);
  const wl = memory.data(4 * G), wr = memory.data(4 * G), xs = memory.data(4 * (G / 2)), acc = memory.data(8 * G, 16);
  let t = 0;
  for (; t + G <= nOut; t += G) {
    let c: i32 = 0x7fffffff, d: i32 = 0x7fffffff;
    for (let j = 0; j < G; j++) {
      const cb = load<i32>(combo + (<usize>(t + j) << 2));
      const n = load<i32>(nArr + (<usize>(t + j) << 2));
      const s = load<i32>(start + (<usize>cb << 2));
      const L = load<i32>(left + (<usize>cb << 2));
      const i1 = min(n + 1, L);
      const k1 = max(0, min(nOrig - n - 1, load<i32>(right + (<usize>cb << 2))));
      store<i32>(nn + (<usize>j << 2), n);
      store<i32>(iM + (<usize>j << 2), i1);
      store<i32>(kM + (<usize>j << 2), k1);
      store<usize>(wl + (<usize>j << 2), w + (<usize>s << 3));
      store<usize>(wr + (<usize>j << 2), w + (<usize>(s + L) << 3));
      c = min(c, i1);
      d = min(d, k1);
    }
    if (c < 0) c = 0;
    const paired = lanePairsPaired(nn, ptab);
    if (!paired) {
      // no pair copy for some lane pair (an unusual rate ratio): one output at a time
      for (let j = 0; j < G; j++) {
        const q = <usize>j << 2;
        const a = tail32(0.0, x, load<i32>(nn + q), load<usize>(wl + q), load<i32>(iM + q), 0, load<usize>(wr + q), load<i32>(kM + q), 0);
        store<f32>(y + (<usize>(t + j) << 2), <f32>a);
      }
      continue;
    }
    memory.fill(acc, 0, 8 * G);
    // left wing, common length c: x[n - i], the pair copies walked down
    pairStarts(xs, nn, ptab, 0);
    // (one combination with outputs two samples apart is resampleHalf32's case)
    if (sameWeights(wl)) wing16u(acc, xs, -16, load<usize>(wl), c);
    else wing16(acc, xs, -16, wl, c);
    for (let j = 0; j < G; j++) {
      const q = <usize>j << 2, qa = <usize>j << 3;
      if (load<i32>(iM + q) > c) store<f64>(acc + qa, tail32(load<f64>(acc + qa), x, load<i32>(nn + q), load<usize>(wl + q), load<i32>(iM + q), c, 0, 0, 0));
    }
    // right wing, common length d: x[n + 1 + k], the pair copies walked up
    pairStarts(xs, nn, ptab, 1);
    if (sameWeights(wr)) wing16u(acc, xs, 16, load<usize>(wr), d);
    else wing16(acc, xs, 16, wr, d);
    for (let j = 0; j < G; j++) {
      const q = <usize>j << 2, qa = <usize>j << 3;
      let a = load<f64>(acc + qa);
      if (load<i32>(kM + q) > d) a = tail32(a, x, load<i32>(nn + q), 0, 0, 0, load<usize>(wr + q), load<i32>(kM + q), d);
      store<f32>(y + (<usize>(t + j) << 2), <f32>a);
    }
  }
  for (; t < nOut; t++) {
    const cb = load<i32>(combo + (<usize>t << 2));
    const n = load<i32>(nArr + (<usize>t << 2));
    const s = load<i32>(start + (<usize>cb << 2));
    const L = load<i32>(left + (<usize>cb << 2));
    const iMax = min(n + 1, L);
    const kMax = min(nOrig - n - 1, load<i32>(right + (<usize>cb << 2)));
    const a = tail32(0.0, x, n, w + (<usize>s << 3), iMax, 0, w + (<usize>(s + L) << 3), kMax, 0);
    store<f32>(y + (<usize>t << 2), <f32>a);
  }
}

/**
 * resamplePlan32 for a plan with one combination whose outputs sit two input samples apart
 * (n[t] = 2t: 2 -> 1, the CQT's octave decimation, and 44.1 -> 22.05 kHz): every output has the
 * same `L` left taps (w[0..L)) and `R` right taps (w[L..L+R)). Groups of 24 outputs whose
 * wings are all complete run wing24s with no per-output set-up (24 chains in flight: 1.47 ms
 * against 2.05 ms with sixteen for 55125 -> 27563 samples, AMD EPYC, 2026-12-07); the outputs
 * near the ends (fewer taps, or fewer than 24 left) run one at a time (tail32). The same
 * chains, the same bits. `pairs`: pairInterleave(x, 2) (the lane pairs' samples).
 */
export function resampleHalf32(x: usize, nOrig: i32, y: usize, nOut: i32, w: usize, L: i32, R: i32, pairs: usize): void {
  const acc = memory.data(8 * 24, 16);
  const wr = w + (<usize>L << 3);
  // outputs with fewer than L left taps (2t + 1 < L) one at a time
  let t = 0;
  for (const t0 = min(nOut, L >> 1); t < t0; t++) halfOutput(x, nOrig, y, t, w, wr, L, R);
  // complete groups: 2 (t + 23) <= nOrig - 1 - R
  for (; t + 24 <= nOut && 2 * (t + 23) + R + 1 <= nOrig; t += 24) {
    memory.fill(acc, 0, 8 * 24);
    wing24s(acc, pairs + (<usize>(2 * t) << 4), -16, w, L);
    wing24s(acc, pairs + (<usize>(2 * t + 1) << 4), 16, wr, R);
    for (let j = 0; j < 24; j++) store<f32>(y + (<usize>(t + j) << 2), <f32>load<f64>(acc + (<usize>j << 3)));
  }
  for (; t < nOut; t++) halfOutput(x, nOrig, y, t, w, wr, L, R);
}

/** Output t of resampleHalf32 alone (input index 2t; its wings cut at the signal's ends). */
// @ts-ignore: decorator
@inline function halfOutput(x: usize, nOrig: i32, y: usize, t: i32, w: usize, wr: usize, L: i32, R: i32): void {
  const n = 2 * t;
  store<f32>(y + (<usize>t << 2), <f32>tail32(0.0, x, n, w, min(n + 1, L), 0, wr, min(nOrig - n - 1, R), 0));
}

/**
 * wing16 with each chain's weights interpolated from resampy's table as it goes (resampleTable32):
 * chain pair q reads (win[j], delta[j]) pairs from the addresses at ws[2q], ws[2q + 1] (16 bytes
 * a step, the table laid out by offset) and its two etas from es + 16q, and forms each weight as
 * resampy does, win[j] + eta * delta[j] (float64, no fused multiply-add), before the step.
 */
// @ts-ignore: decorator
@inline function wing16t(acc: usize, xs: usize, xh: isize, ws: usize, es: usize, count: i32): void {
  let a0 = v128.load(acc), a1 = v128.load(acc, 16), a2 = v128.load(acc, 32), a3 = v128.load(acc, 48);
  let a4 = v128.load(acc, 64), a5 = v128.load(acc, 80), a6 = v128.load(acc, 96), a7 = v128.load(acc, 112);
  const x0 = load<usize>(xs), x1 = load<usize>(xs, 4), x2 = load<usize>(xs, 8), x3 = load<usize>(xs, 12);
  const x4 = load<usize>(xs, 16), x5 = load<usize>(xs, 20), x6 = load<usize>(xs, 24), x7 = load<usize>(xs, 28);
  const w0 = load<usize>(ws), w1 = load<usize>(ws, 4), w2 = load<usize>(ws, 8), w3 = load<usize>(ws, 12);
  const w4 = load<usize>(ws, 16), w5 = load<usize>(ws, 20), w6 = load<usize>(ws, 24), w7 = load<usize>(ws, 28);
  const w8 = load<usize>(ws, 32), w9 = load<usize>(ws, 36), w10 = load<usize>(ws, 40), w11 = load<usize>(ws, 44);
  const w12 = load<usize>(ws, 48), w13 = load<usize>(ws, 52), w14 = load<usize>(ws, 56), w15 = load<usize>(ws, 60);
  let xo: isize = 0;
  for (let o: usize = 0, e: usize = <usize>count << 4; o < e; o += 16) {
    a0 = step32(a0, tapPair(w0 + o, w1 + o, v128.load(es)), v128.load(x0 + xo));
    a1 = step32(a1, tapPair(w2 + o, w3 + o, v128.load(es, 16)), v128.load(x1 + xo));
    a2 = step32(a2, tapPair(w4 + o, w5 + o, v128.load(es, 32)), v128.load(x2 + xo));
    a3 = step32(a3, tapPair(w6 + o, w7 + o, v128.load(es, 48)), v128.load(x3 + xo));
    a4 = step32(a4, tapPair(w8 + o, w9 + o, v128.load(es, 64)), v128.load(x4 + xo));
    a5 = step32(a5, tapPair(w10 + o, w11 + o, v128.load(es, 80)), v128.load(x5 + xo));
    a6 = step32(a6, tapPair(w12 + o, w13 + o, v128.load(es, 96)), v128.load(x6 + xo));
    a7 = step32(a7, tapPair(w14 + o, w15 + o, v128.load(es, 112)), v128.load(x7 + xo));
    xo += xh;
  }
  v128.store(acc, a0); v128.store(acc, a1, 16); v128.store(acc, a2, 32); v128.store(acc, a3, 48);
  v128.store(acc, a4, 64); v128.store(acc, a5, 80); v128.store(acc, a6, 96); v128.store(acc, a7, 112);
}

/** The weights of two chains from their (win, delta) pairs at p0, p1 and their etas (lanes of e). */
// @ts-ignore: decorator
@inline function tapPair(p0: usize, p1: usize, e: v128): v128 {
  const a = v128.load(p0), b = v128.load(p1);
  return f64x2.add(v128.shuffle<f64>(a, b, 0, 2), f64x2.mul(e, v128.shuffle<f64>(a, b, 1, 3)));
}

/** One output of resampleTable32 from partial sum `a`: left taps i0 <= i < iMax, right taps k0 <= k < kMax. */
function tailTable32(a: f64, x: usize, n: i32, tl: usize, el: f64, iMax: i32, i0: i32, tr: usize, er: f64, kMax: i32, k0: i32): f64 {
  for (let i = i0; i < iMax; i++) {
    const p = tl + (<usize>i << 4);
    a = <f64><f32>(a + (load<f64>(p) + el * load<f64>(p, 8)) * load<f64>(x + (<usize>(n - i) << 3)));
  }
  for (let k = k0; k < kMax; k++) {
    const p = tr + (<usize>k << 4);
    a = <f64><f32>(a + (load<f64>(p) + er * load<f64>(p, 8)) * load<f64>(x + (<usize>(n + 1 + k) << 3)));
  }
  return a;
}

/**
 * resampy's float32 loop for a rate ratio whose (offset, eta) combinations do not repeat
 * (pitch_shift's 22959.83 -> 22050: every output its own), where a weight plan would stream
 * ~100 precomputed taps per output from tens of MB: here each output's taps are interpolated
 * from resampy's table as resampy does (win[j] + eta * delta[j], j = offset + i * index_step),
 * the table laid out by offset so that an output's taps are contiguous (`tab`: (win, delta)
 * float64 pairs; `tstart[o]`, `tcount[o]`: first pair and count at offset o). Per output:
 * `nArr` (i32), `offs` (i32 left and right offset), `etas` (f64 left and right eta). The same
 * chains as resamplePlan32, sixteen outputs at a time, the same bits (the weights are the same
 * float64 values).
 */
export function resampleTable32(
  x: usize, nOrig: i32, y: usize, nOut: i32,
  nArr: usize, offs: usize, etas: usize, tstart: usize, tcount: usize, tab: usize, ptab: usize,
): void {
  const G = 16;
  const nn = memory.data(4 * G), iM = memory.data(4 * G), kM = memory.data(4 * G);
  const wl = memory.data(4 * G), wr = memory.data(4 * G), xs = memory.data(4 * (G / 2));
  const el = memory.data(8 * G, 16), er = memory.data(8 * G, 16), acc = memory.data(8 * G, 16);
  let t = 0;
  for (; t + G <= nOut; t += G) {
    let c: i32 = 0x7fffffff, d: i32 = 0x7fffffff;
    for (let j = 0; j < G; j++) {
      const u = <usize>(t + j);
      const n = load<i32>(nArr + (u << 2));
      const oL = <usize>load<i32>(offs + (u << 3)), oR = <usize>load<i32>(offs + (u << 3), 4);
      const i1 = min(n + 1, load<i32>(tcount + (oL << 2)));
      const k1 = max(0, min(nOrig - n - 1, load<i32>(tcount + (oR << 2))));
      store<i32>(nn + (<usize>j << 2), n);
      store<i32>(iM + (<usize>j << 2), i1);
      store<i32>(kM + (<usize>j << 2), k1);
      store<usize>(wl + (<usize>j << 2), tab + (<usize>load<i32>(tstart + (oL << 2)) << 4));
      store<usize>(wr + (<usize>j << 2), tab + (<usize>load<i32>(tstart + (oR << 2)) << 4));
      store<f64>(el + (<usize>j << 3), load<f64>(etas + (u << 4)));
      store<f64>(er + (<usize>j << 3), load<f64>(etas + (u << 4), 8));
      c = min(c, i1);
      d = min(d, k1);
    }
    if (c < 0) c = 0;
    const paired = lanePairsPaired(nn, ptab);
    if (!paired) {
      for (let j = 0; j < G; j++) {
        const q = <usize>j << 2, qa = <usize>j << 3;
        const a = tailTable32(0.0, x, load<i32>(nn + q), load<usize>(wl + q), load<f64>(el + qa), load<i32>(iM + q), 0,
          load<usize>(wr + q), load<f64>(er + qa), load<i32>(kM + q), 0);
        store<f32>(y + (<usize>(t + j) << 2), <f32>a);
      }
      continue;
    }
    memory.fill(acc, 0, 8 * G);
    pairStarts(xs, nn, ptab, 0);
    wing16t(acc, xs, -16, wl, el, c);
    for (let j = 0; j < G; j++) {
      const q = <usize>j << 2, qa = <usize>j << 3;
      store<f64>(acc + qa, tailTable32(load<f64>(acc + qa), x, load<i32>(nn + q), load<usize>(wl + q), load<f64>(el + qa), load<i32>(iM + q), c, 0, 0.0, 0, 0));
    }
    pairStarts(xs, nn, ptab, 1);
    wing16t(acc, xs, 16, wr, er, d);
    for (let j = 0; j < G; j++) {
      const q = <usize>j << 2, qa = <usize>j << 3;
      const a = tailTable32(load<f64>(acc + qa), x, load<i32>(nn + q), 0, 0.0, 0, 0, load<usize>(wr + q), load<f64>(er + qa), load<i32>(kM + q), d);
      store<f32>(y + (<usize>(t + j) << 2), <f32>a);
    }
  }
  for (; t < nOut; t++) {
    const u = <usize>t;
    const n = load<i32>(nArr + (u << 2));
    const oL = <usize>load<i32>(offs + (u << 3)), oR = <usize>load<i32>(offs + (u << 3), 4);
    const iMax = min(n + 1, load<i32>(tcount + (oL << 2)));
    const kMax = min(nOrig - n - 1, load<i32>(tcount + (oR << 2)));
    const a = tailTable32(0.0, x, n, tab + (<usize>load<i32>(tstart + (oL << 2)) << 4), load<f64>(etas + (u << 4)), iMax, 0,
      tab + (<usize>load<i32>(tstart + (oR << 2)) << 4), load<f64>(etas + (u << 4), 8), kMax, 0);
    store<f32>(y + (<usize>t << 2), <f32>a);
  }
}

// ---------------------------------------------------------------------------------------------
// median filters (scipy.ndimage.median_filter, mode 'reflect') of a float32 matrix, by ranks:
// median.ts lineRanks + rankLineFilter, transcribed

/**
 * median.ts lineRanks: the rank of every element of the float32 matrix `x` (rows x cols)
 * within its row (`rowRank`, i32) and within its column (`colRank`), ties in index order, and
 * the values by rank (`rowVal[r * cols + k]`: row r's k-th smallest; `colVal[c * rows + k]`),
 * from one stable LSD radix sort (3 passes of 11 bits) of the order-preserving keys of the
 * float32 bit patterns. Scratch: key, key2, src, dst (n i32 each), cnt (3 * 2048 i32), next
 * (max(rows, cols) i32). Returns 1 (nothing computed) if x holds a NaN, 2 if a side exceeds
 * 65535, else 0.
 */
export function lineRanks(
  x: usize, rows: i32, cols: i32, wantRows: i32, wantCols: i32,
  key: usize, key2: usize, src: usize, dst: usize, cnt: usize, next: usize,
  rowRank: usize, rowVal: usize, colRank: usize, colVal: usize,
): i32 {
  const n = rows * cols;
  if (rows > 65535 || cols > 65535) return 2;
  memory.fill(cnt, 0, 3 * 2048 * 4);
  // sources are carried as (row << 16) | col (no divisions when they are distributed)
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const b = load<i32>(x + (<usize>i << 2));
      if ((b & 0x7fffffff) > 0x7f800000) return 1;
      const k: u32 = b < 0 ? ~b : b | 0x80000000;
      store<u32>(key + (<usize>i << 2), k);
      store<u32>(src + (<usize>i << 2), (<u32>r << 16) | <u32>c);
      const c0 = cnt + (<usize>(k & 2047) << 2);
      store<i32>(c0, load<i32>(c0) + 1);
      const c1 = cnt + (<usize>(2048 + ((k >>> 11) & 2047)) << 2);
      store<i32>(c1, load<i32>(c1) + 1);
      const c2 = cnt + (<usize>(4096 + (k >>> 22)) << 2);
      store<i32>(c2, load<i32>(c2) + 1);
    }
  }
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass;
    const base = cnt + (<usize>(2048 * pass) << 2);
    if (load<i32>(base + (<usize>((load<u32>(key) >>> shift) & 2047) << 2)) == n) continue;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const p = base + (<usize>d << 2);
      const c = load<i32>(p);
      store<i32>(p, sum);
      sum += c;
    }
    if (pass == 2) {
      for (let i = 0; i < n; i++) {
        const k = load<u32>(key + (<usize>i << 2));
        const p = base + (<usize>(k >>> 22) << 2);
        const q = load<i32>(p);
        store<i32>(p, q + 1);
        store<u32>(dst + (<usize>q << 2), load<u32>(src + (<usize>i << 2)));
      }
    } else {
      for (let i = 0; i < n; i++) {
        const k = load<u32>(key + (<usize>i << 2));
        const p = base + (<usize>((k >>> shift) & 2047) << 2);
        const q = load<i32>(p);
        store<i32>(p, q + 1);
        store<u32>(dst + (<usize>q << 2), load<u32>(src + (<usize>i << 2)));
        store<u32>(key2 + (<usize>q << 2), k);
      }
    }
    let t = src; src = dst; dst = t;
    t = key; key = key2; key2 = t;
  }
  if (wantRows) distributeRanks(src, n, x, cols, rows, true, next, rowRank, rowVal);
  if (wantCols) distributeRanks(src, n, x, cols, cols, false, next, colRank, colVal);
  return 0;
}

/**
 * lineRanks' last step for one axis: the sorted sources (row << 16 | col) dealt to their lines
 * (rows when byRow, else columns) in order, giving each element its rank in its line (`rank`)
 * and each line its values by rank (`val[line * lineLen + k]`, lineLen = the other side).
 */
// @ts-ignore: decorator
@inline function distributeRanks(src: usize, n: i32, x: usize, cols: i32, lines: i32, byRow: bool, next: usize, rank: usize, val: usize): void {
  const lineLen = byRow ? cols : n / cols;
  memory.fill(next, 0, <usize>lines << 2);
  for (let i = 0; i < n; i++) {
    const v = load<u32>(src + (<usize>i << 2));
    const r = <i32>(v >>> 16), c = <i32>(v & 0xffff);
    const p = r * cols + c;
    const line = byRow ? r : c;
    const np = next + (<usize>line << 2);
    const k = load<i32>(np);
    store<i32>(np, k + 1);
    store<i32>(rank + (<usize>p << 2), k);
    store<f32>(val + (<usize>(line * lineLen + k) << 2), load<f32>(x + (<usize>p << 2)));
  }
}

/**
 * median.ts rankLineFilter: the rank-bitmap median of every line (line l's sample j at index
 * l * ls + j * js of `rank` and of the float32 output `res`; `val[l * len + k]` its k-th
 * smallest value); len >= size - 1 (the reflected line does not wrap). Scratch: er
 * (len + size - 1 i32), words ((2 len >> 5) + 2 i32).
 */
export function rankLineFilter(rank: usize, val: usize, res: usize, lines: i32, len: i32, ls: i32, js: i32, size: i32, er: usize, words: usize): void {
  const half = size >> 1;
  const R = size >> 1;
  const extLen = len + size - 1;
  const nw = ((2 * len) >> 5) + 2;
  for (let l = 0; l < lines; l++) {
    const o = l * ls;
    for (let j = 0; j < half; j++) store<i32>(er + (<usize>j << 2), 2 * load<i32>(rank + (<usize>(o + (half - 1 - j) * js) << 2)) + 1);
    for (let j = 0; j < len; j++) store<i32>(er + (<usize>(half + j) << 2), 2 * load<i32>(rank + (<usize>(o + j * js) << 2)));
    for (let j = half + len; j < extLen; j++) store<i32>(er + (<usize>j << 2), 2 * load<i32>(rank + (<usize>(o + (2 * len - 1 - (j - half)) * js) << 2)) + 1);
    memory.fill(words, 0, <usize>nw << 2);
    for (let j = 0; j < size; j++) {
      const r = load<i32>(er + (<usize>j << 2));
      const wp = words + (<usize>(r >> 5) << 2);
      store<i32>(wp, load<i32>(wp) | (1 << (r & 31)));
    }
    // the R-th set bit
    let m = -1;
    for (let w = 0, c = 0; m < 0; w++) {
      let xw = load<i32>(words + (<usize>w << 2));
      while (xw != 0) {
        const low = xw & -xw;
        if (c == R) { m = (w << 5) + 31 - clz(low); break; }
        c++;
        xw ^= low;
      }
    }
    const vo = l * len;
    store<f32>(res + (<usize>o << 2), load<f32>(val + (<usize>(vo + (m >> 1)) << 2)));
    for (let i = 1; i < len; i++) {
      const q = load<i32>(er + (<usize>(i - 1) << 2));
      const r = load<i32>(er + (<usize>(i + size - 1) << 2));
      const qp = words + (<usize>(q >> 5) << 2);
      store<i32>(qp, load<i32>(qp) & ~(1 << (q & 31)));
      const rp = words + (<usize>(r >> 5) << 2);
      store<i32>(rp, load<i32>(rp) | (1 << (r & 31)));
      const below = R - (q < m ? 1 : 0) + (r < m ? 1 : 0);
      if (q != m && below == R) {
        store<f32>(res + (<usize>(o + i * js) << 2), load<f32>(val + (<usize>(vo + (m >> 1)) << 2)));
        continue;
      }
      if (q == m ? below == R : below < R) {
        let w = (m + 1) >> 5;
        let xw = load<i32>(words + (<usize>w << 2)) & (-1 << ((m + 1) & 31));
        while (xw == 0) xw = load<i32>(words + (<usize>(++w) << 2));
        m = (w << 5) + 31 - clz(xw & -xw);
      } else {
        let w = (m - 1) >> 5;
        let xw = load<i32>(words + (<usize>w << 2)) & (<i32>(<u32>-1 >>> (31 - ((m - 1) & 31))));
        while (xw == 0) xw = load<i32>(words + (<usize>(--w) << 2));
        m = (w << 5) + 31 - clz(xw);
      }
      store<f32>(res + (<usize>(o + i * js) << 2), load<f32>(val + (<usize>(vo + (m >> 1)) << 2)));
    }
  }
}

/** float32 bits -> an unsigned key with the same order (-0 below +0; NaN handled by the caller) */
// @ts-ignore: decorator
@inline function key32(b: u32): u32 {
  return (b & 0x80000000) ? ~b : b | 0x80000000;
}
// @ts-ignore: decorator
@inline function unkey32(k: u32): u32 {
  return (k & 0x80000000) ? k & 0x7fffffff : ~k;
}

/**
 * The same median filters without the global ranks, for windows of at most 32: per line the
 * reflect-extended keys (lineRanks' order: monotonic unsigned keys of the float32 bits),
 * the window in a 32-lane circular buffer (8 v128, unused lanes 0xFFFFFFFF), and the selected
 * key m with the counts lt = #(window < m), eq = #(window == m) kept up to date as one key
 * leaves and one enters (branch-free). m stays the rank-R key while lt <= R < lt + eq;
 * otherwise it moves once to the next key above (min over the window of keys > m) or below
 * (max of keys < m), found with SIMD minima of wrapped differences, and eq is recounted. One move always suffices:
 * a step changes lt and eq by at most one. Same results as rankLineFilter (the element of rank
 * R in the same total order). Needs size <= 32 and len >= size / 2 + 1; returns 2 otherwise,
 * 1 at a NaN, else 0. `ext`: len + size - 1 u32 of scratch; `win`: 128 bytes, 16-aligned.
 */
export function medianWindow(x: usize, lines: i32, len: i32, ls: i32, js: i32, size: i32, out: usize, ext: usize, win: usize): i32 {
  const half = size >> 1;
  if (size > 32 || size < 1 || len < half + 1) return 2;
  const R = size >> 1;
  const extLen = len + size - 1;
  const ones = i32x4.splat(-1);
  for (let l = 0; l < lines; l++) {
    const o = l * ls;
    for (let j = 0; j < extLen; j++) {
      const pos = j - half;
      const src = pos < 0 ? -pos - 1 : pos >= len ? 2 * len - 1 - pos : pos;
      const b = load<u32>(x + (<usize>(o + src * js) << 2));
      if ((b & 0x7fffffff) > 0x7f800000) return 1;
      store<u32>(ext + (<usize>j << 2), key32(b));
    }
    for (let q = 0; q < 8; q++) v128.store(win + (<usize>q << 4), ones);
    memory.copy(win, ext, <usize>size << 2);
    // the first window's rank-R key: an insertion sort of a copy (after the 32 window lanes)
    const srt = win + 128;
    for (let a = 0; a < size; a++) {
      const v = load<u32>(win + (<usize>a << 2));
      let p = a - 1;
      while (p >= 0 && load<u32>(srt + (<usize>p << 2)) > v) {
        store<u32>(srt + (<usize>(p + 1) << 2), load<u32>(srt + (<usize>p << 2)));
        p--;
      }
      store<u32>(srt + (<usize>(p + 1) << 2), v);
    }
    let m = load<u32>(srt + (<usize>R << 2));
    let lt = 0, eq = 0;
    for (let b = 0; b < size; b++) {
      const u = load<u32>(win + (<usize>b << 2));
      lt += <i32>(u < m);
      eq += <i32>(u == m);
    }
    store<u32>(out + (<usize>o << 2), unkey32(m));
    let slot = 0;
    for (let i = 1; i < len; i++) {
      const sp = win + (<usize>slot << 2);
      const oldv = load<u32>(sp);
      const newv = load<u32>(ext + (<usize>(i + size - 1) << 2));
      store<u32>(sp, newv);
      slot = slot + 1 == size ? 0 : slot + 1;
      lt += <i32>(newv < m) - <i32>(oldv < m);
      eq += <i32>(newv == m) - <i32>(oldv == m);
      if (lt + eq <= R) {
        // m moves up: the smallest key above it, as (m + 1) + min(w - (m + 1)) in wrapping
        // unsigned arithmetic (keys at or below m wrap to the top)
        const base = i32x4.splat(m + 1);
        const best = minU8(i32x4.sub(v128.load(win), base), i32x4.sub(v128.load(win, 16), base),
          i32x4.sub(v128.load(win, 32), base), i32x4.sub(v128.load(win, 48), base),
          i32x4.sub(v128.load(win, 64), base), i32x4.sub(v128.load(win, 80), base),
          i32x4.sub(v128.load(win, 96), base), i32x4.sub(v128.load(win, 112), base));
        lt += eq;
        m = best + m + 1;
        eq = countEq(win, m);
      } else if (lt > R) {
        // m moves down: the largest key below it, as (m - 1) - min((m - 1) - w) (keys at or
        // above m wrap to the top; the unused lanes give m, above any real candidate)
        const top = i32x4.splat(m - 1);
        const best = minU8(i32x4.sub(top, v128.load(win)), i32x4.sub(top, v128.load(win, 16)),
          i32x4.sub(top, v128.load(win, 32)), i32x4.sub(top, v128.load(win, 48)),
          i32x4.sub(top, v128.load(win, 64)), i32x4.sub(top, v128.load(win, 80)),
          i32x4.sub(top, v128.load(win, 96)), i32x4.sub(top, v128.load(win, 112)));
        m = m - 1 - best;
        eq = countEq(win, m);
        lt -= eq;
      }
      store<u32>(out + (<usize>(o + i * js) << 2), unkey32(m));
    }
  }
  return 0;
}

/**
 * medianWindow for four lines at a time, one per i32x4 lane (lines l..l+3, l a multiple of 4;
 * the remaining lines by medianWindow): the same keys, the same rank-R selection and the same
 * lt / eq bookkeeping per lane, the window being the slice ext4[i .. i + size) of the lines'
 * interleaved extended keys (16 bytes per position). The first window's key of rank R is found
 * by counting (#(< w_a) <= R < #(<= w_a)); then per step the key moves up or down as in
 * medianWindow, lanes that stay keeping theirs (selects, no branches per lane). Same results,
 * bit for bit. `ext4`: 16 * (len + size - 1) bytes of scratch. Returns as medianWindow.
 */
export function medianWindow4(x: usize, lines: i32, len: i32, ls: i32, js: i32, size: i32, out: usize, ext4: usize, ext: usize, win: usize): i32 {
  const half = size >> 1;
  if (size > 32 || size < 1 || len < half + 1) return 2;
  const R = size >> 1;
  const extLen = len + size - 1;
  const Rv = i32x4.splat(R);
  const one = i32x4.splat(1);
  const top = i32x4.splat(0x80000000);
  const groups = lines >> 2;
  for (let g = 0; g < groups; g++) {
    const o0 = 4 * g * ls;
    // the four lines' reflect-extended keys, interleaved
    for (let j = 0; j < extLen; j++) {
      const pos = j - half;
      const src = pos < 0 ? -pos - 1 : pos >= len ? 2 * len - 1 - pos : pos;
      const p = x + (<usize>(o0 + src * js) << 2);
      let b: v128;
      if (ls == 1) b = v128.load(p);
      else {
        const st = <usize>ls << 2;
        b = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(load<i32>(p)), 1, load<i32>(p + st)), 2, load<i32>(p + 2 * st)), 3, load<i32>(p + 3 * st));
      }
      if (v128.any_true(i32x4.gt_s(v128.and(b, i32x4.splat(0x7fffffff)), i32x4.splat(0x7f800000)))) return 1;
      // key32 per lane: ~b for negative b, b | 0x80000000 otherwise
      v128.store(ext4 + (<usize>j << 4), v128.xor(b, v128.or(i32x4.shr_s(b, 31), top)));
    }
    // the first window: the key of rank R per lane, and its lt / eq
    let m = i32x4.splat(0), lt = i32x4.splat(0), eq = i32x4.splat(0);
    for (let a = 0; a < size; a++) {
      const wa = v128.load(ext4 + (<usize>a << 4));
      let cl = i32x4.splat(0), ce = i32x4.splat(0);
      for (let b = 0; b < size; b++) {
        const wb = v128.load(ext4 + (<usize>b << 4));
        cl = i32x4.sub(cl, i32x4.lt_u(wb, wa));
        ce = i32x4.sub(ce, i32x4.eq(wb, wa));
      }
      // lt <= R < lt + eq
      const hit = v128.and(v128.not(i32x4.gt_s(cl, Rv)), i32x4.gt_s(i32x4.add(cl, ce), Rv));
      m = v128.bitselect(wa, m, hit);
      lt = v128.bitselect(cl, lt, hit);
      eq = v128.bitselect(ce, eq, hit);
    }
    storeLanes(out, o0, ls, 0, js, m);
    for (let i = 1; i < len; i++) {
      const wp = ext4 + (<usize>i << 4);
      const oldv = v128.load(wp - 16);
      const newv = v128.load(wp + (<usize>(size - 1) << 4));
      // lt += (new < m) - (old < m); eq += (new == m) - (old == m) (masks are -1 / 0)
      lt = i32x4.add(i32x4.sub(lt, i32x4.lt_u(newv, m)), i32x4.lt_u(oldv, m));
      eq = i32x4.add(i32x4.sub(eq, i32x4.eq(newv, m)), i32x4.eq(oldv, m));
      const up = v128.not(i32x4.gt_s(i32x4.add(lt, eq), Rv));
      const down = i32x4.gt_s(lt, Rv);
      if (v128.any_true(v128.or(up, down))) {
        // up: (m + 1) + min(w - (m + 1)); down: (m - 1) - min((m - 1) - w), wrapping unsigned
        const mp = i32x4.add(m, one), mm = i32x4.sub(m, one);
        let bu = i32x4.splat(-1), bd = i32x4.splat(-1);
        for (let a = 0; a < size; a++) {
          const w = v128.load(wp + (<usize>a << 4));
          bu = i32x4.min_u(bu, i32x4.sub(w, mp));
          bd = i32x4.min_u(bd, i32x4.sub(mm, w));
        }
        const m2 = v128.bitselect(i32x4.add(bu, mp), v128.bitselect(i32x4.sub(mm, bd), m, down), up);
        let e2 = i32x4.splat(0);
        for (let a = 0; a < size; a++) e2 = i32x4.sub(e2, i32x4.eq(v128.load(wp + (<usize>a << 4)), m2));
        lt = v128.bitselect(i32x4.add(lt, eq), v128.bitselect(i32x4.sub(lt, e2), lt, down), up);
        eq = e2;
        m = m2;
      }
      storeLanes(out, o0, ls, i, js, m);
    }
  }
  const rest = lines - 4 * groups;
  if (rest > 0) {
    const off = <usize>(4 * groups * ls) << 2;
    return medianWindow(x + off, rest, len, ls, js, size, out + off, ext, win);
  }
  return 0;
}

/** out[o0 + l * ls + i * js] = unkey32(lane l of m), l < 4. */
// @ts-ignore: decorator
@inline function storeLanes(out: usize, o0: i32, ls: i32, i: i32, js: i32, m: v128): void {
  // unkey32 per lane: k & 0x7fffffff where the top bit is set, ~k otherwise
  const neg = i32x4.shr_s(m, 31);
  const v = v128.bitselect(v128.and(m, i32x4.splat(0x7fffffff)), v128.not(m), neg);
  const p = out + (<usize>(o0 + i * js) << 2);
  if (ls == 1) v128.store(p, v);
  else {
    const st = <usize>ls << 2;
    store<i32>(p, i32x4.extract_lane(v, 0));
    store<i32>(p + st, i32x4.extract_lane(v, 1));
    store<i32>(p + 2 * st, i32x4.extract_lane(v, 2));
    store<i32>(p + 3 * st, i32x4.extract_lane(v, 3));
  }
}

/** #(lanes of the 8 v128 at win == m) */
// @ts-ignore: decorator
@inline function countEq(win: usize, m: u32): i32 {
  const mv = i32x4.splat(m);
  const a = i32x4.add(i32x4.add(i32x4.eq(v128.load(win), mv), i32x4.eq(v128.load(win, 16), mv)),
    i32x4.add(i32x4.eq(v128.load(win, 32), mv), i32x4.eq(v128.load(win, 48), mv)));
  const b = i32x4.add(i32x4.add(i32x4.eq(v128.load(win, 64), mv), i32x4.eq(v128.load(win, 80), mv)),
    i32x4.add(i32x4.eq(v128.load(win, 96), mv), i32x4.eq(v128.load(win, 112), mv)));
  const c = i32x4.add(a, b);
  const d = i32x4.add(c, v128.shuffle<i32>(c, c, 2, 3, 0, 1));
  return -(i32x4.extract_lane(d, 0) + i32x4.extract_lane(d, 1));
}

/** the unsigned minimum over all lanes of eight vectors */
// @ts-ignore: decorator
@inline function minU8(a: v128, b: v128, c: v128, d: v128, e: v128, f: v128, g: v128, h: v128): u32 {
  let m = i32x4.min_u(i32x4.min_u(i32x4.min_u(a, b), i32x4.min_u(c, d)), i32x4.min_u(i32x4.min_u(e, f), i32x4.min_u(g, h)));
  m = i32x4.min_u(m, v128.shuffle<i32>(m, m, 2, 3, 0, 1));
  m = i32x4.min_u(m, v128.shuffle<i32>(m, m, 1, 0, 3, 2));
  return <u32>i32x4.extract_lane(m, 0);
}

// ---------------------------------------------------------------------------------------------
// spectrogram element loops

/**
 * stft.ts cabs32 over arrays: |re + i im| of float32 values as numpy's complex64 absolute:
 * larger * sqrt(r * r + 1), r = smaller / larger, each step rounded to float32 (r * r + 1 in
 * float64, then rounded: the float32 fma emulated as the TypeScript does).
 */
export function cabs32Array(re: usize, im: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const v = cabs32x4(v128.load(re + q), v128.load(im + q));
    if (i32x4.all_true(v)) v128.store(out + q, cabsLast);
    else for (let j: usize = 0; j < 16; j += 4) store<f32>(out + q + j, cabs32(<f64>load<f32>(re + q + j), <f64>load<f32>(im + q + j)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(out + q, cabs32(<f64>load<f32>(re + q), <f64>load<f32>(im + q)));
  }
}

/**
 * cabs32 on four lanes of float32 values: the division, the square root and the last product in
 * float32 lanes (each a float64 operation on float32 values rounded to float32 in cabs32, which
 * is the float32 operation itself: 53 >= 2 * 24 + 2 bits), r * r + 1 in float64 lanes as there.
 * Returns the lanes in the common case (larger > 0, finite, no NaN) as a mask and leaves the
 * four results in `cabsLast`.
 */
// @ts-ignore: decorator
@inline function cabs32x4(re: v128, im: v128): v128 {
  const a = f32x4.abs(re), b = f32x4.abs(im);
  const gt = f32x4.gt(a, b);
  const larger = v128.bitselect(a, b, gt), smaller = v128.bitselect(b, a, gt);
  const ok = v128.and(v128.and(f32x4.gt(larger, f32x4.splat(0.0)), f32x4.lt(larger, f32x4.splat(Infinity))), f32x4.eq(smaller, smaller));
  const r = f32x4.div(smaller, larger);
  const one = f64x2.splat(1.0);
  const rl = f64x2.promote_low_f32x4(r), rh = f64x2.promote_low_f32x4(v128.shuffle<i32>(r, r, 2, 3, 0, 1));
  const sl = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(rl, rl), one));
  const sh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(rh, rh), one));
  cabsLast = f32x4.mul(f32x4.sqrt(v128.shuffle<i32>(sl, sh, 0, 1, 4, 5)), larger);
  return ok;
}

/** the float32 results of the last cabs32x2 (low 64 bits) or cabs32x4 call, valid where it returned all ones */
let cabsLast: v128 = i32x4.splat(0);

/**
 * cabs32 on two lanes (float32 values given as f64): the same roundings lane by lane. Returns
 * a mask (all ones where the lane was in the common case: larger > 0, finite, no NaN) and
 * leaves the results as two float32 values in the low half of `cabsLast`.
 */
// @ts-ignore: decorator
@inline function cabs32x2(re: v128, im: v128): v128 {
  const a = f64x2.abs(re), b = f64x2.abs(im);
  const gt = f64x2.gt(a, b);
  const larger = v128.bitselect(a, b, gt), smaller = v128.bitselect(b, a, gt);
  const ok = v128.and(v128.and(f64x2.gt(larger, f64x2.splat(0.0)), f64x2.lt(larger, f64x2.splat(Infinity))), f64x2.eq(smaller, smaller));
  const r = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.div(smaller, larger)));
  const s = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(r, r), f64x2.splat(1.0))));
  const h = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.sqrt(s)));
  cabsLast = f32x4.demote_f64x2_zero(f64x2.mul(h, larger));
  return ok;
}

/** cabs32 of one value whose parts are float32 values (given as f64) */
// @ts-ignore: decorator
@inline function cabs32(re: f64, im: f64): f32 {
  const a = abs<f64>(re), b = abs<f64>(im);
  const larger = a > b ? a : b;
  const smaller = a > b ? b : a;
  let v: f64;
  if (larger > 0 && larger < Infinity && smaller == smaller) {
    const r = <f64><f32>(smaller / larger);
    v = <f64><f32>(<f64><f32>sqrt<f64>(<f64><f32>(r * r + 1.0)) * larger);
  } else if (a == Infinity || b == Infinity) {
    v = Infinity;
  } else if (a != a || b != b) {
    v = NaN;
  } else {
    v = 0.0; // larger == 0
  }
  return <f32>v;
}

/**
 * stft.ts stftMagnitude (float32 y, centred, constant padding): for each of `frames` frames the
 * windowed real FFT (size 2h) of x (float64 copies of y's samples) from t * hop - h, each bin
 * rounded to complex64 and its cabs32 stored at out[k * frames + t] (float32, h + 1 rows).
 */
export function stftMag32(
  x: usize, len: i32, hop: i32, frames: i32, win: usize,
  z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize, oRe: usize, oIm: usize, out: usize,
): void {
  for (let t = 0; t < frames; t++) {
    rfftForward(x, len, t * hop - h, win, z, h, rev, odd, tw, spl, oRe, oIm, 0, h);
    let k = 0;
    for (; k + 4 <= h; k += 4) {
      // bins k..k + 3, rounded to complex64
      const p = <usize>k << 3;
      const re = v128.shuffle<i32>(f32x4.demote_f64x2_zero(v128.load(oRe + p)), f32x4.demote_f64x2_zero(v128.load(oRe + p, 16)), 0, 1, 4, 5);
      const im = v128.shuffle<i32>(f32x4.demote_f64x2_zero(v128.load(oIm + p)), f32x4.demote_f64x2_zero(v128.load(oIm + p, 16)), 0, 1, 4, 5);
      const o0 = out + (<usize>(k * frames + t) << 2), os = <usize>frames << 2;
      if (i32x4.all_true(cabs32x4(re, im))) {
        store<f32>(o0, f32x4.extract_lane(cabsLast, 0));
        store<f32>(o0 + os, f32x4.extract_lane(cabsLast, 1));
        store<f32>(o0 + 2 * os, f32x4.extract_lane(cabsLast, 2));
        store<f32>(o0 + 3 * os, f32x4.extract_lane(cabsLast, 3));
      } else {
        store<f32>(o0, cabs32(<f64>f32x4.extract_lane(re, 0), <f64>f32x4.extract_lane(im, 0)));
        store<f32>(o0 + os, cabs32(<f64>f32x4.extract_lane(re, 1), <f64>f32x4.extract_lane(im, 1)));
        store<f32>(o0 + 2 * os, cabs32(<f64>f32x4.extract_lane(re, 2), <f64>f32x4.extract_lane(im, 2)));
        store<f32>(o0 + 3 * os, cabs32(<f64>f32x4.extract_lane(re, 3), <f64>f32x4.extract_lane(im, 3)));
      }
    }
    for (; k < h; k += 2) {
      // bins k, k + 1 (h is even), rounded to complex64
      const re = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v128.load(oRe + (<usize>k << 3))));
      const im = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v128.load(oIm + (<usize>k << 3))));
      const o0 = out + (<usize>(k * frames + t) << 2), o1 = out + (<usize>((k + 1) * frames + t) << 2);
      if (v128.any_true(v128.not(cabs32x2(re, im)))) {
        store<f32>(o0, cabs32(f64x2.extract_lane(re, 0), f64x2.extract_lane(im, 0)));
        store<f32>(o1, cabs32(f64x2.extract_lane(re, 1), f64x2.extract_lane(im, 1)));
      } else {
        store<f32>(o0, f32x4.extract_lane(cabsLast, 0));
        store<f32>(o1, f32x4.extract_lane(cabsLast, 1));
      }
    }
    for (; k <= h; k++) {
      const re = <f64><f32>load<f64>(oRe + (<usize>k << 3));
      const im = <f64><f32>load<f64>(oIm + (<usize>k << 3));
      store<f32>(out + (<usize>(k * frames + t) << 2), cabs32(re, im));
    }
  }
}

/**
 * stft.ts stft's frame loop with float32 output (complex64): for each of `frames` frames the
 * windowed real FFT (size 2h) of x (float64) from start + t * hop, bins rounded to float32 at
 * outRe/outIm[k * frames + t].
 */
export function stftFrames32(
  x: usize, len: i32, start: i32, hop: i32, frames: i32, win: usize,
  z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize, oRe: usize, oIm: usize, outRe: usize, outIm: usize,
): void {
  for (let t = 0; t < frames; t++) {
    rfftForward(x, len, start + t * hop, win, z, h, rev, odd, tw, spl, oRe, oIm, 0, h);
    for (let k = 0; k <= h; k++) {
      const q = <usize>(k * frames + t) << 2;
      store<f32>(outRe + q, <f32>load<f64>(oRe + (<usize>k << 3)));
      store<f32>(outIm + q, <f32>load<f64>(oIm + (<usize>k << 3)));
    }
  }
}

/**
 * stft.ts istft's frame loop for a complex64 D (h + 1 rows, `cols` columns, float32 re/im at
 * dRe/dIm) and a float32 output: frame t's column to float64 (inRe/inIm scratch), the inverse
 * real FFT, times the window (float64), overlap-added into y (float32, `expected` samples,
 * every addition rounded to float32) at t * hop - off, samples outside [0, expected) dropped.
 */
export function istftOla32(
  dRe: usize, dIm: usize, cols: i32, nFrames: i32, hop: i32, off: i32, expected: i32, win: usize,
  z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize, inRe: usize, inIm: usize, y: usize,
): void {
  const n = 2 * h;
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0; k <= h; k++) {
      const q = <usize>(k * cols + t) << 2;
      store<f64>(inRe + (<usize>k << 3), <f64>load<f32>(dRe + q));
      store<f64>(inIm + (<usize>k << 3), <f64>load<f32>(dIm + q));
    }
    rfftInverse(inRe, inIm, z, h, rev, odd, tw, spl);
    const s = t * hop - off;
    const j0 = max(0, -s), j1 = min(n, expected - s);
    for (let j = j0; j < j1; j++) {
      const yp = y + (<usize>(s + j) << 2);
      store<f32>(yp, <f32>(<f64>load<f32>(yp) + load<f64>(win + (<usize>j << 3)) * load<f64>(z + (<usize>j << 3))));
    }
  }
}

/**
 * hpss.ts harmonicOnly32's element loop: softmask(harm, perc * marginHarm, power 2, split_zeros
 * -> `fill`) times the magnitude, times the phase of S (sre, sim), all float32 roundings as
 * there. Returns 1 at a negative mask input (the caller throws softmask's error), else 0.
 *
 * Four elements at a time in f32x4 lanes: every step of the TypeScript is a float64 operation
 * on float32 values rounded to float32 (a quotient, product or sum), and such a double rounding
 * always equals the float32 operation itself (53 >= 2 * 24 + 2 bits), so the lanes give the
 * same bits. The two branches of the mask are one formula: with t = min / max of (x, r),
 * d = f32(t * t + 1), the mask is 1 / d where x > r, else t * t / d. Groups with a lane outside
 * that formula (below float32's tiny, infinite, NaN; margins other than 1, whose product is
 * rounded from float64) run element by element (harmonicMaskAt).
 */
export function harmonicMask32(harm: usize, perc: usize, mag: usize, sre: usize, sim: usize, outRe: usize, outIm: usize, n: i32, marginHarm: f64, fill: f64): i32 {
  let i = 0;
  if (marginHarm == 1.0) {
    const tiny = f32x4.splat(1.1754943508222875e-38);
    const inf = f32x4.splat(Infinity);
    const zero = f32x4.splat(0), one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const q = <usize>i << 2;
      const x = v128.load(harm + q), r = v128.load(perc + q);
      if (v128.any_true(v128.or(f32x4.lt(x, zero), f32x4.lt(r, zero)))) return 1;
      const big = f32x4.gt(x, r);
      // lanes for the element loop: NaN, infinite, or the larger of x, r below tiny
      const odd = v128.or(
        v128.or(f32x4.ne(x, x), f32x4.ne(r, r)),
        v128.or(f32x4.ge(v128.bitselect(x, r, big), inf), f32x4.lt(v128.bitselect(x, r, big), tiny)),
      );
      if (v128.any_true(odd)) {
        for (let j = 0; j < 4; j++) if (harmonicMaskAt(harm, perc, mag, sre, sim, outRe, outIm, i + j, marginHarm, fill)) return 1;
        continue;
      }
      const t = f32x4.div(v128.bitselect(r, x, big), v128.bitselect(x, r, big));
      const t2 = f32x4.mul(t, t);
      const d = f32x4.add(t2, one);
      const mk = f32x4.div(v128.bitselect(one, t2, big), d);
      const mg = v128.load(mag + q);
      const z = v128.and(f32x4.eq(mg, zero), one);
      const mn = f32x4.add(mg, z);
      const pr = f32x4.add(f32x4.div(v128.load(sre + q), mn), z);
      const pi = f32x4.div(v128.load(sim + q), mn);
      const a2 = f32x4.mul(mg, mk);
      v128.store(outRe + q, f32x4.mul(a2, pr));
      v128.store(outIm + q, f32x4.mul(a2, pi));
    }
  }
  for (; i < n; i++) if (harmonicMaskAt(harm, perc, mag, sre, sim, outRe, outIm, i, marginHarm, fill)) return 1;
  return 0;
}

/** harmonicMask32 for element i alone (the TypeScript's float64 steps); 1 at a negative input. */
function harmonicMaskAt(harm: usize, perc: usize, mag: usize, sre: usize, sim: usize, outRe: usize, outIm: usize, i: i32, marginHarm: f64, fill: f64): i32 {
  const TINY: f64 = 1.1754943508222875e-38;
  const q = <usize>i << 2;
  const x = <f64>load<f32>(harm + q);
  const r = marginHarm == 1.0 ? <f64>load<f32>(perc + q) : <f64><f32>(<f64>load<f32>(perc + q) * marginHarm);
  if (x < 0 || r < 0) return 1;
  let mk: f64;
  if (x > r) {
    if (x < TINY) mk = fill;
    else if (x == Infinity) mk = NaN;
    else {
      const b = <f64><f32>(r / x);
      mk = <f64><f32>(1.0 / <f64><f32>(1.0 + <f64><f32>(b * b)));
    }
  } else if (r < TINY) {
    mk = fill;
  } else {
    const a = <f64><f32>(x / r);
    const m = <f64><f32>(a * a);
    const one: f64 = r == Infinity ? NaN : 1.0;
    mk = <f64><f32>(m / <f64><f32>(m + one));
  }
  const mg = <f64>load<f32>(mag + q);
  const z: f64 = mg == 0 ? 1.0 : 0.0;
  const mn = mg + z;
  const pr = <f64><f32>(<f64><f32>(<f64>load<f32>(sre + q) / mn) + z);
  const pi = <f64><f32>(<f64>load<f32>(sim + q) / mn);
  const a2 = <f64><f32>(mg * mk);
  store<f32>(outRe + q, <f32>(a2 * pr));
  store<f32>(outIm + q, <f32>(a2 * pi));
  return 0;
}

/**
 * spectral.ts applyFilterbank for a float32 spectrogram: acc (float64, rows x T, zeroed by the
 * caller) += fb @ S, visiting the filter bank's nonzeros by column (CSC: ptr, row (i32), val
 * (f64)) and S (float32, F x T) row by row, so every output sums over f in increasing order as
 * the TypeScript does; two frames per f64x2 lane pair. `square`: S (staged by the caller) is
 * first squared in place (a power spectrogram from a magnitude one).
 */
export function filterbank32(ptr: usize, row: usize, val: usize, F: i32, s: usize, T: i32, acc: usize, square: i32): void {
  const T2 = T & ~1;
  if (square) {
    // S * S in place, float32 (as the TypeScript's squared float32 array; the float64 product of
    // two float32 values rounded to float32 is the float32 product)
    const n = F * T;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const p = s + (<usize>i << 2);
      const v = v128.load(p);
      v128.store(p, f32x4.mul(v, v));
    }
    for (; i < n; i++) {
      const p = s + (<usize>i << 2);
      const v = load<f32>(p);
      store<f32>(p, v * v);
    }
  }
  for (let f = 0; f < F; f++) {
    const so = s + (<usize>(f * T) << 2);
    const end = load<i32>(ptr + (<usize>(f + 1) << 2));
    for (let p = load<i32>(ptr + (<usize>f << 2)); p < end; p++) {
      const w = load<f64>(val + (<usize>p << 3));
      const wv = f64x2.splat(w);
      const a = acc + (<usize>(load<i32>(row + (<usize>p << 2)) * T) << 3);
      let t = 0;
      for (; t < T2; t += 2) {
        const sv = f64x2.promote_low_f32x4(v128.load64_zero(so + (<usize>t << 2)));
        const ap = a + (<usize>t << 3);
        v128.store(ap, f64x2.add(v128.load(ap), f64x2.mul(wv, sv)));
      }
      for (; t < T; t++) {
        const ap = a + (<usize>t << 3);
        store<f64>(ap, load<f64>(ap) + w * <f64>load<f32>(so + (<usize>t << 2)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// spectral contrast

/**
 * spectral.ts spectralContrast's frame loop for one sub-band of a float32 spectrogram S
 * (bins x T): for each frame, the band's m values (bins `rows[j]`, i32) are scanned once,
 * keeping the idx smallest and the idx largest in ascending order by insertion (as
 * selectExtremes), and their means (float32 sequential sums, as numpy's strided mean) are
 * written to valley/peak (f64, T each). Scratch: small/large (idx f64 each).
 */
export function contrastBand32(S: usize, T: i32, rows: usize, m: i32, idx: i32, small: usize, large: usize, valley: usize, peak: usize): void {
  for (let t = 0; t < T; t++) {
    let ns = 0, nl = 0;
    for (let j = 0; j < m; j++) {
      const v = <f64>load<f32>(S + (<usize>(load<i32>(rows + (<usize>j << 2)) * T + t) << 2));
      if (ns < idx || v < load<f64>(small + (<usize>(ns - 1) << 3))) {
        let p = ns < idx ? ns++ : idx - 1;
        while (p > 0 && load<f64>(small + (<usize>(p - 1) << 3)) > v) {
          store<f64>(small + (<usize>p << 3), load<f64>(small + (<usize>(p - 1) << 3)));
          p--;
        }
        store<f64>(small + (<usize>p << 3), v);
      }
      if (nl < idx) {
        let p = nl++;
        while (p > 0 && load<f64>(large + (<usize>(p - 1) << 3)) > v) {
          store<f64>(large + (<usize>p << 3), load<f64>(large + (<usize>(p - 1) << 3)));
          p--;
        }
        store<f64>(large + (<usize>p << 3), v);
      } else if (v > load<f64>(large)) {
        let p = 0;
        while (p + 1 < idx && load<f64>(large + (<usize>(p + 1) << 3)) < v) {
          store<f64>(large + (<usize>p << 3), load<f64>(large + (<usize>(p + 1) << 3)));
          p++;
        }
        store<f64>(large + (<usize>p << 3), v);
      }
    }
    let sv: f64 = 0, sp: f64 = 0;
    for (let i = 0; i < idx; i++) {
      sv = <f64><f32>(sv + load<f64>(small + (<usize>i << 3)));
      sp = <f64><f32>(sp + load<f64>(large + (<usize>i << 3)));
    }
    store<f64>(valley + (<usize>t << 3), <f64><f32>(sv / <f64>idx));
    store<f64>(peak + (<usize>t << 3), <f64><f32>(sp / <f64>idx));
  }
}

// ---------------------------------------------------------------------------------------------
// CQT filter bases: sparsification

/** matrix.ts hypot (Math.hypot's bits for two arguments) */
// @ts-ignore: decorator
@inline function hypot2(x: f64, y: f64): f64 {
  const a = abs<f64>(x), b = abs<f64>(y);
  if (a == Infinity || b == Infinity) return Infinity;
  const m = a > b ? a : b;
  if (m == 0) return a == a && b == b ? 0.0 : NaN;
  const p = a / m, q = b / m;
  return sqrt<f64>(p * p + q * q) * m;
}

/** cqt-filters.ts pairwiseSum (numpy's pairwise summation, float64) of n values at a */
function pairwiseSum64(a: usize, n: i32): f64 {
  if (n < 8) {
    let s: f64 = -0.0;
    for (let i = 0; i < n; i++) s += load<f64>(a + (<usize>i << 3));
    return s;
  }
  if (n <= 128) {
    let r0 = load<f64>(a), r1 = load<f64>(a, 8), r2 = load<f64>(a, 16), r3 = load<f64>(a, 24);
    let r4 = load<f64>(a, 32), r5 = load<f64>(a, 40), r6 = load<f64>(a, 48), r7 = load<f64>(a, 56);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = a + (<usize>i << 3);
      r0 += load<f64>(p); r1 += load<f64>(p, 8); r2 += load<f64>(p, 16); r3 += load<f64>(p, 24);
      r4 += load<f64>(p, 32); r5 += load<f64>(p, 40); r6 += load<f64>(p, 48); r7 += load<f64>(p, 56);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += load<f64>(a + (<usize>i << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSum64(a, n2) + pairwiseSum64(a + (<usize>n2 << 3), n - n2);
}

/**
 * cqt-filters.ts sparsifyRows for one row: mags[c] = |re + i im| (Math.hypot's bits),
 * norm = numpy's pairwise sum of mags, the magnitudes sorted (LSD radix sort of their bit
 * patterns, which order non-negative doubles numerically; into `sorted`, scratch `tmp`),
 * cum += sorted[c] / norm until !(cum < quantile); returns that sorted[c] (sorted[0] if never),
 * the magnitude below which the row's entries are dropped. mags stay at `mags`.
 */
export function sparsifyThreshold(re: usize, im: usize, cols: i32, quantile: f64, mags: usize, sorted: usize, tmp: usize, cnt: usize): f64 {
  for (let c = 0; c < cols; c++) {
    const o = <usize>c << 3;
    store<f64>(mags + o, hypot2(load<f64>(re + o), load<f64>(im + o)));
  }
  const norm = pairwiseSum64(mags, cols);
  memory.copy(sorted, mags, <usize>cols << 3);
  let src = sorted, dst = tmp;
  for (let pass = 0; pass < 8; pass++) {
    const shift = <u64>(8 * pass);
    memory.fill(cnt, 0, 256 * 4);
    for (let c = 0; c < cols; c++) {
      const d = <usize>((load<u64>(src + (<usize>c << 3)) >> shift) & 255);
      store<i32>(cnt + (d << 2), load<i32>(cnt + (d << 2)) + 1);
    }
    if (load<i32>(cnt + (<usize>((load<u64>(src) >> shift) & 255) << 2)) == cols) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const p = cnt + (<usize>d << 2);
      const k = load<i32>(p);
      store<i32>(p, sum);
      sum += k;
    }
    for (let c = 0; c < cols; c++) {
      const v = load<u64>(src + (<usize>c << 3));
      const p = cnt + (<usize>((v >> shift) & 255) << 2);
      const q = load<i32>(p);
      store<i32>(p, q + 1);
      store<u64>(dst + (<usize>q << 3), v);
    }
    const t = src; src = dst; dst = t;
  }
  if (src != sorted) memory.copy(sorted, src, <usize>cols << 3);
  let cum: f64 = 0;
  for (let c = 0; c < cols; c++) {
    cum += load<f64>(sorted + (<usize>c << 3)) / norm;
    if (!(cum < quantile)) return load<f64>(sorted + (<usize>c << 3));
  }
  return load<f64>(sorted);
}

// ---------------------------------------------------------------------------------------------
// piptrack

/**
 * tuning.ts piptrackPeaks for a float32 magnitude spectrogram x (rows x cols): the per-frame
 * threshold ref[t] = f32(thr * max_k |x[k, t]|) (scratch `ref`, cols f64), then for the rows
 * k0 <= k < k1 (k >= 1: the bins inside [fmin, fmax)) the local maxima of x * (x > ref) along
 * frequency, with numba's parabolic interpolation, in float32 roundings as there. Writes
 * index (i32), pitch and mag (f32) per peak, in row-major order; returns the count.
 */
export function piptrack32(
  x: usize, rows: i32, cols: i32, k0: i32, k1: i32, thr: f64, sr: f64, nFft: f64,
  ref: usize, index: usize, pitch: usize, mag: usize,
): i32 {
  for (let t = 0; t < cols; t++) store<f64>(ref + (<usize>t << 3), -Infinity);
  for (let k = 0; k < rows; k++) {
    const o = x + (<usize>(k * cols) << 2);
    for (let t = 0; t < cols; t++) {
      const v = abs<f64>(<f64>load<f32>(o + (<usize>t << 2)));
      const rp = ref + (<usize>t << 3);
      if (v > load<f64>(rp)) store<f64>(rp, v);
    }
  }
  for (let t = 0; t < cols; t++) {
    const rp = ref + (<usize>t << 3);
    store<f64>(rp, <f64><f32>(thr * load<f64>(rp)));
  }
  let count = 0;
  for (let k = max(k0, 1); k < k1; k++) {
    const lastRow = k == rows - 1;
    const xo = x + (<usize>(k * cols) << 2);
    const xp = xo - (<usize>cols << 2);
    const xn = xo + (<usize>cols << 2);
    for (let t = 0; t < cols; t++) {
      const q = <usize>t << 2;
      const r = load<f64>(ref + (<usize>t << 3));
      const c = abs<f64>(<f64>load<f32>(xo + q));
      if (!(c > r)) continue;
      const prev = abs<f64>(<f64>load<f32>(xp + q));
      const mp = prev > r ? prev : 0.0;
      if (!(c > mp)) continue;
      let next: f64 = 0;
      if (!lastRow) {
        next = abs<f64>(<f64>load<f32>(xn + q));
        const mn = next > r ? next : 0.0;
        if (!(c >= mn)) continue;
      }
      let shift: f64 = 0;
      let avg: f64;
      if (!lastRow) {
        const a = <f64><f32>(next + prev) - 2 * c;
        const b = <f64><f32>(next - prev) / 2;
        shift = abs<f64>(b) >= abs<f64>(a) ? 0 : <f64><f32>(-b / a);
        avg = <f64><f32>(next - prev) / 2;
      } else {
        avg = <f64><f32>(c - prev);
      }
      const dskew = <f64><f32>(<f64><f32>(0.5 * avg) * shift);
      store<i32>(index + (<usize>count << 2), k * cols + t);
      store<f32>(pitch + (<usize>count << 2), <f32>(((<f64>k + shift) * sr) / nFft));
      store<f32>(mag + (<usize>count << 2), <f32>(c + dskew));
      count++;
    }
  }
  return count;
}

/**
 * spectral.ts mfcc's product D @ L (D: K x N float64, L: N x T float32) into out (K x T
 * float64): every output sums over i in increasing order, as the TypeScript loop; two frames
 * per f64x2 lane pair.
 */
export function denseRows32(D: usize, K: i32, N: i32, L: usize, T: i32, out: usize): void {
  const T2 = T & ~1;
  for (let k = 0; k < K; k++) {
    const a = out + (<usize>(k * T) << 3);
    memory.fill(a, 0, <usize>T << 3);
    for (let i = 0; i < N; i++) {
      const c = load<f64>(D + (<usize>(k * N + i) << 3));
      const cv = f64x2.splat(c);
      const lo = L + (<usize>(i * T) << 2);
      let t = 0;
      for (; t < T2; t += 2) {
        const ap = a + (<usize>t << 3);
        v128.store(ap, f64x2.add(v128.load(ap), f64x2.mul(cv, f64x2.promote_low_f32x4(v128.load64_zero(lo + (<usize>t << 2))))));
      }
      for (; t < T; t++) {
        const ap = a + (<usize>t << 3);
        store<f64>(ap, load<f64>(ap) + c * <f64>load<f32>(lo + (<usize>t << 2)));
      }
    }
  }
}

/**
 * cqt.ts resampleHalf's block loop (FFT overlap-save of resampy's sr 2 -> 1 taps): for each
 * block t0 = 0, vOut, 2 vOut, ... < nOut: the real FFT (size 2 hF) of x from 2 t0 - M, times
 * the kernel spectrum (gre, gim), folded to the even outputs (dre, dim scratch, hF / 2 + 1),
 * the inverse real FFT (size hF, half-size plan hI = hF / 2), and min(vOut, nOut - t0) outputs
 * divided by d (float32 outputs: the sample rounded to float32 first, as the TypeScript).
 */
export function halfbandBlocks(
  x: usize, len: i32, nOut: i32, M: i32, vOut: i32,
  zF: usize, hF: i32, revF: usize, oddF: i32, twF: usize, splF: usize, oRe: usize, oIm: usize,
  gre: usize, gim: usize, dre: usize, dim: usize,
  zI: usize, hI: i32, revI: usize, oddI: i32, twI: usize, splI: usize,
  out: usize, f32out: i32, d: f64,
): void {
  const N = 2 * hF;
  for (let t0 = 0; t0 < nOut; t0 += vOut) {
    rfftForward(x, len, 2 * t0 - M, 0, zF, hF, revF, oddF, twF, splF, oRe, oIm, 0, hF);
    for (let q = 0; q <= hF; q++) {
      const o = <usize>q << 3;
      const a = load<f64>(oRe + o), b = load<f64>(oIm + o), gr = load<f64>(gre + o), gi = load<f64>(gim + o);
      store<f64>(oRe + o, a * gr - b * gi);
      store<f64>(oIm + o, a * gi + b * gr);
    }
    for (let q = 0; q <= N / 4; q++) {
      const o = <usize>q << 3, o2 = <usize>(hF - q) << 3;
      store<f64>(dre + o, 0.5 * (load<f64>(oRe + o) + load<f64>(oRe + o2)));
      store<f64>(dim + o, 0.5 * (load<f64>(oIm + o) - load<f64>(oIm + o2)));
    }
    rfftInverse(dre, dim, zI, hI, revI, oddI, twI, splI);
    const m = min(vOut, nOut - t0);
    if (f32out) {
      for (let u = 0; u < m; u++) store<f32>(out + (<usize>(t0 + u) << 2), <f32>(<f64><f32>load<f64>(zI + (<usize>u << 3)) / d));
    } else {
      for (let u = 0; u < m; u++) store<f64>(out + (<usize>(t0 + u) << 3), load<f64>(zI + (<usize>u << 3)) / d);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CQT octave response

/**
 * cqt.ts octaveResponse: for each of `frames` frames, the real FFT (size 2h, no window) of x
 * from start + t * hop, bins c0..c1 only, rounded to float32 when `f32`, then the sparse basis
 * rows (CSR: rowPtr, colIdx (i32); basis values stored per nonzero as the v128 pair
 * (ar, ar), (-ai, ai)) times those bins, summed in row order in float64: response (re, im) of
 * row r at outRe/outIm[r * frames + t]. Scratch `xc`: 4 (c1 + 1) interleaved complex values.
 */
export function cqtResponse(
  x: usize, len: i32, start: i32, hop: i32, frames: i32,
  z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize, oRe: usize, oIm: usize,
  c0: i32, c1: i32, f32r: i32,
  rows: i32, rowPtr: usize, colIdx: usize, bv: usize, xc: usize, outRe: usize, outIm: usize,
): void {
  // four frames at a time: their spectra in xc, xc + S, xc + 2S, xc + 3S, and four independent
  // sums per basis row sharing each basis load (a row's sum is a chain of dependent adds, so
  // one frame alone waits on the adds' latency); every sum runs over j in the same order
  const S = <usize>(c1 + 1) << 4;
  let t = 0;
  for (; t + 4 <= frames; t += 4) {
    for (let q = 0; q < 4; q++) cqtSpectrum(x, len, start + (t + q) * hop, z, h, rev, odd, tw, spl, oRe, oIm, c0, c1, f32r, xc + <usize>q * S);
    for (let r = 0; r < rows; r++) {
      let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
      const e = load<i32>(rowPtr + (<usize>(r + 1) << 2));
      for (let j = load<i32>(rowPtr + (<usize>r << 2)); j < e; j++) {
        const xp = xc + (<usize>load<i32>(colIdx + (<usize>j << 2)) << 4);
        const bp = bv + (<usize>j << 5);
        const br = v128.load(bp), bi = v128.load(bp, 16);
        a0 = f64x2.add(a0, cmul(v128.load(xp), br, bi));
        a1 = f64x2.add(a1, cmul(v128.load(xp + S), br, bi));
        a2 = f64x2.add(a2, cmul(v128.load(xp + 2 * S), br, bi));
        a3 = f64x2.add(a3, cmul(v128.load(xp + 3 * S), br, bi));
      }
      const o = <usize>(r * frames + t) << 3;
      store<f64>(outRe + o, f64x2.extract_lane(a0, 0));
      store<f64>(outIm + o, f64x2.extract_lane(a0, 1));
      store<f64>(outRe + o, f64x2.extract_lane(a1, 0), 8);
      store<f64>(outIm + o, f64x2.extract_lane(a1, 1), 8);
      store<f64>(outRe + o, f64x2.extract_lane(a2, 0), 16);
      store<f64>(outIm + o, f64x2.extract_lane(a2, 1), 16);
      store<f64>(outRe + o, f64x2.extract_lane(a3, 0), 24);
      store<f64>(outIm + o, f64x2.extract_lane(a3, 1), 24);
    }
  }
  for (; t < frames; t++) {
    cqtSpectrum(x, len, start + t * hop, z, h, rev, odd, tw, spl, oRe, oIm, c0, c1, f32r, xc);
    for (let r = 0; r < rows; r++) {
      let acc = f64x2.splat(0.0);
      const e = load<i32>(rowPtr + (<usize>(r + 1) << 2));
      for (let j = load<i32>(rowPtr + (<usize>r << 2)); j < e; j++) {
        const xv = v128.load(xc + (<usize>load<i32>(colIdx + (<usize>j << 2)) << 4));
        const bp = bv + (<usize>j << 5);
        acc = f64x2.add(acc, cmul(xv, v128.load(bp), v128.load(bp, 16)));
      }
      const o = <usize>(r * frames + t) << 3;
      store<f64>(outRe + o, f64x2.extract_lane(acc, 0));
      store<f64>(outIm + o, f64x2.extract_lane(acc, 1));
    }
  }
}

/** cqtResponse's spectrum of the frame at `offset`: bins c0..c1 as (re, im) f64 pairs at xc (rounded to float32 when f32r). */
function cqtSpectrum(
  x: usize, len: i32, offset: i32, z: usize, h: i32, rev: usize, odd: i32, tw: usize, spl: usize, oRe: usize, oIm: usize,
  c0: i32, c1: i32, f32r: i32, xc: usize,
): void {
  rfftForward(x, len, offset, 0, z, h, rev, odd, tw, spl, oRe, oIm, c0, c1);
  for (let c = c0; c <= c1; c++) {
    let a = load<f64>(oRe + (<usize>c << 3)), b = load<f64>(oIm + (<usize>c << 3));
    if (f32r) { a = <f64><f32>a; b = <f64><f32>b; }
    v128.store(xc + (<usize>c << 4), f64x2.replace_lane(f64x2.splat(a), 1, b));
  }
}

/** The first free byte after this module's static data (the caller's heap starts here). */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// phase vocoder (mirrors src/audio/augment.ts vocode)

// Cody-Waite reduction by pi/2 in three pieces: PIO2_1 is pi/2 rounded to 33 significant bits,
// PIO2_2 the remainder rounded to 33 bits, PIO2_2T the rest rounded to 53 bits, so q * PIO2_1
// and q * PIO2_2 are exact for |q| < 2^20; INV_PIO2 is 2/pi rounded. Computed from pi to 300 bits
// (Machin's formula in BigInt: scripts/tools/constants.js, which the wasm kernels' test reruns).
// sin r and cos r on |r| <= pi/4 by their Taylor series, r^3..r^17 and r^4..r^18, the
// coefficients (-1)^k / n! rounded to float64: the first omitted terms are below 1e-19.
const INV_PIO2: f64 = 0.636619772367581382433;
const PIO2_1: f64 = 1.57079632673412561417;
const PIO2_2: f64 = 6.07710050630396597660e-11;
const PIO2_2T: f64 = 2.02226624879595063154e-21;
const S1: f64 = -0.166666666666666657415, S2: f64 = 0.00833333333333333321769, S3: f64 = -0.000198412698412698412526;
const S4: f64 = 2.75573192239858925110e-6, S5: f64 = -2.50521083854417202239e-8, S6: f64 = 1.60590438368216133409e-10;
const S7: f64 = -7.64716373181981640551e-13, S8: f64 = 2.81145725434552059811e-15;
const C1: f64 = 0.0416666666666666643537, C2: f64 = -0.00138888888888888894189, C3: f64 = 2.48015873015873015658e-5;
const C4: f64 = -2.75573192239858882758e-7, C5: f64 = 2.08767569878681001866e-9, C6: f64 = -1.14707455977297245073e-11;
const C7: f64 = 4.77947733238738525345e-14, C8: f64 = -1.56192069685862252711e-16;
/** bound on |fast sin/cos - exact| plus |Math.sin/cos - exact| (both well under 1e-15) */
const SINCOS_MARGIN: f64 = 2e-15;

/**
 * librosa.phase_vocoder's loop (augment.ts vocode) for all bins: per bin k (rows of `mag`, `ang`:
 * n + 2 float32 each) and output frame t, the magnitude interpolated in float32, the phasor
 * cos(p) + i sin(p) of the float32 phase accumulator rounded to float32 and scaled, then the
 * phase advance (float64, wrapped with round-half-even) accumulated in float32: the same
 * operations as the TypeScript. cos and sin come from a fast evaluation (Cody-Waite reduction and
 * Taylor series, error well under 1e-15); where that value is within the margin of
 * a float32 rounding boundary, or |p| is too large for the reduction, the element is listed in
 * `fix` (i32 index, f32 p, f32 m; at most maxFix) for the caller to compute with Math.cos/sin,
 * so every output is f32(Math.cos(p)) * m, as before. Two bins run side by side in the f64x2
 * lanes (each lane the scalar sequence), an odd last bin alone. Returns the number listed, or
 * -1 if more than maxFix were needed (then the caller computes everything itself).
 */
export function vocode32(
  mag: usize, ang: usize, bins: i32, n: i32, nOut: i32, c0s: usize, was: usize, wbs: usize, adv: usize,
  outRe: usize, outIm: usize, fix: usize, maxFix: i32,
): i32 {
  const stride = n + 2;
  let nf = 0;
  let k = 0;
  for (; k + 1 < bins; k += 2) {
    nf = vocodeBins2(mag, ang, k, stride, nOut, c0s, was, wbs, adv, outRe, outIm, fix, maxFix, nf);
    if (nf < 0) return -1;
  }
  if (k < bins) nf = vocodeBin(mag, ang, k, stride, nOut, c0s, was, wbs, adv, outRe, outIm, fix, maxFix, nf);
  return nf;
}

/** Lists element idx (its p and m) for the caller; false when the list is full. */
// @ts-ignore: decorator
@inline function listFix(fix: usize, nf: i32, idx: i32, p: f32, m: f32): void {
  const e = fix + (<usize>nf * 12);
  store<i32>(e, idx);
  store<f32>(e, p, 4);
  store<f32>(e, m, 8);
}

/** vocode32 for one bin k; returns the new list length or -1. */
function vocodeBin(
  mag: usize, ang: usize, k: i32, stride: i32, nOut: i32, c0s: usize, was: usize, wbs: usize, adv: usize,
  outRe: usize, outIm: usize, fix: usize, maxFix: i32, nf: i32,
): i32 {
  const TWO_PI: f64 = 2 * Math.PI;
  const mrow = mag + (<usize>(k * stride) << 2);
  const arow = ang + (<usize>(k * stride) << 2);
  const orow = k * nOut;
  const a = load<f64>(adv + (<usize>k << 3));
  let p: f32 = load<f32>(arow);
  for (let t = 0; t < nOut; t++) {
    const c0 = <usize>load<i32>(c0s + (<usize>t << 2)) << 2;
    const m: f32 = load<f32>(was + (<usize>t << 2)) * load<f32>(mrow + c0) + load<f32>(wbs + (<usize>t << 2)) * load<f32>(mrow + c0, 4);
    // sin and cos of p
    const x = <f64>p;
    const q = nearest(x * INV_PIO2);
    const inRange = abs(q) < 1048576.0;
    const r = x - q * PIO2_1 - q * PIO2_2 - q * PIO2_2T;
    const z = r * r;
    const sr = r + z * r * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * (S6 + z * (S7 + z * S8)))))));
    const cr = 1.0 - (0.5 * z - z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * (C6 + z * (C7 + z * C8))))))));
    const quad = <i32>(inRange ? q : 0.0) & 3;
    // quadrants 0..3: (sin, cos) = (sr, cr), (cr, -sr), (-sr, -cr), (-cr, sr), without branches
    const sb = select<f64>(cr, sr, quad & 1), cb = select<f64>(sr, cr, quad & 1);
    const sv = select<f64>(-sb, sb, quad & 2), cv = select<f64>(-cb, cb, (quad + 1) & 2);
    const sf = <f32>sv, cf = <f32>cv;
    const idx = orow + t;
    store<f32>(outRe + (<usize>idx << 2), cf * m);
    store<f32>(outIm + (<usize>idx << 2), sf * m);
    if (!(inRange && f32Sure(cv, cf, SINCOS_MARGIN) && f32Sure(sv, sf, SINCOS_MARGIN))) {
      if (nf >= maxFix) return -1;
      listFix(fix, nf++, idx, p, m);
    }
    let dphase: f64 = <f64>(load<f32>(arow + c0, 4) - load<f32>(arow + c0)) - a;
    dphase -= TWO_PI * nearest(dphase / TWO_PI);
    p = <f32>(<f64>p + (a + dphase));
  }
  return nf;
}

/** vocode32 for bins k and k + 1 in the two lanes; returns the new list length or -1. */
function vocodeBins2(
  mag: usize, ang: usize, k: i32, stride: i32, nOut: i32, c0s: usize, was: usize, wbs: usize, adv: usize,
  outRe: usize, outIm: usize, fix: usize, maxFix: i32, nf: i32,
): i32 {
  const TWO_PI = f64x2.splat(2 * Math.PI);
  const m0 = mag + (<usize>(k * stride) << 2), m1 = m0 + (<usize>stride << 2);
  const g0 = ang + (<usize>(k * stride) << 2), g1 = g0 + (<usize>stride << 2);
  const o0 = k * nOut, o1 = o0 + nOut;
  const a = v128.load(adv + (<usize>k << 3));
  let p = f64x2.promote_low_f32x4(f32x4.replace_lane(f32x4.splat(load<f32>(g0)), 1, load<f32>(g1)));
  const one = i32x4.splat(1), two = i32x4.splat(2);
  const signBit = i64x2.splat(0x8000000000000000);
  for (let t = 0; t < nOut; t++) {
    const c0 = <usize>load<i32>(c0s + (<usize>t << 2)) << 2;
    const ma = f32x4.replace_lane(f32x4.splat(load<f32>(m0 + c0)), 1, load<f32>(m1 + c0));
    const mb = f32x4.replace_lane(f32x4.splat(load<f32>(m0 + c0, 4)), 1, load<f32>(m1 + c0, 4));
    const m = f32x4.add(f32x4.mul(f32x4.splat(load<f32>(was + (<usize>t << 2))), ma), f32x4.mul(f32x4.splat(load<f32>(wbs + (<usize>t << 2))), mb));
    // sin and cos of p, per lane as in vocodeBin
    const q = f64x2.nearest(f64x2.mul(p, f64x2.splat(INV_PIO2)));
    const r = f64x2.sub(f64x2.sub(f64x2.sub(p, f64x2.mul(q, f64x2.splat(PIO2_1))), f64x2.mul(q, f64x2.splat(PIO2_2))), f64x2.mul(q, f64x2.splat(PIO2_2T)));
    const z = f64x2.mul(r, r);
    let ps = f64x2.add(f64x2.splat(S7), f64x2.mul(z, f64x2.splat(S8)));
    ps = f64x2.add(f64x2.splat(S6), f64x2.mul(z, ps));
    ps = f64x2.add(f64x2.splat(S5), f64x2.mul(z, ps));
    ps = f64x2.add(f64x2.splat(S4), f64x2.mul(z, ps));
    ps = f64x2.add(f64x2.splat(S3), f64x2.mul(z, ps));
    ps = f64x2.add(f64x2.splat(S2), f64x2.mul(z, ps));
    ps = f64x2.add(f64x2.splat(S1), f64x2.mul(z, ps));
    const sr = f64x2.add(r, f64x2.mul(f64x2.mul(z, r), ps));
    let pc = f64x2.add(f64x2.splat(C7), f64x2.mul(z, f64x2.splat(C8)));
    pc = f64x2.add(f64x2.splat(C6), f64x2.mul(z, pc));
    pc = f64x2.add(f64x2.splat(C5), f64x2.mul(z, pc));
    pc = f64x2.add(f64x2.splat(C4), f64x2.mul(z, pc));
    pc = f64x2.add(f64x2.splat(C3), f64x2.mul(z, pc));
    pc = f64x2.add(f64x2.splat(C2), f64x2.mul(z, pc));
    pc = f64x2.add(f64x2.splat(C1), f64x2.mul(z, pc));
    const cr = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.mul(f64x2.splat(0.5), z), f64x2.mul(f64x2.mul(z, z), pc)));
    const inRange = f64x2.lt(f64x2.abs(q), f64x2.splat(1048576.0));
    const qi = i32x4.trunc_sat_f64x2_s_zero(q);
    const odd = i64x2.extend_low_i32x4_s(i32x4.ne(v128.and(qi, one), i32x4.splat(0)));
    const neg2 = i64x2.extend_low_i32x4_s(i32x4.ne(v128.and(qi, two), i32x4.splat(0)));
    const neg3 = i64x2.extend_low_i32x4_s(i32x4.ne(v128.and(i32x4.add(qi, one), two), i32x4.splat(0)));
    const sb = v128.bitselect(cr, sr, odd), cb = v128.bitselect(sr, cr, odd);
    const sv = v128.xor(sb, v128.and(signBit, neg2)), cv = v128.xor(cb, v128.and(signBit, neg3));
    const sf = f32x4.demote_f64x2_zero(sv), cf = f32x4.demote_f64x2_zero(cv);
    const re = f32x4.mul(cf, m), im = f32x4.mul(sf, m);
    const i0 = o0 + t, i1 = o1 + t;
    store<f32>(outRe + (<usize>i0 << 2), f32x4.extract_lane(re, 0));
    store<f32>(outRe + (<usize>i1 << 2), f32x4.extract_lane(re, 1));
    store<f32>(outIm + (<usize>i0 << 2), f32x4.extract_lane(im, 0));
    store<f32>(outIm + (<usize>i1 << 2), f32x4.extract_lane(im, 1));
    const margin = f64x2.splat(SINCOS_MARGIN);
    const ok = v128.and(inRange, v128.and(f32SureLanes(cv, cf, margin), f32SureLanes(sv, sf, margin)));
    if (!i64x2.all_true(ok)) {
      const pf = f32x4.demote_f64x2_zero(p);
      if (i64x2.extract_lane(ok, 0) == 0) {
        if (nf >= maxFix) return -1;
        listFix(fix, nf++, i0, f32x4.extract_lane(pf, 0), f32x4.extract_lane(m, 0));
      }
      if (i64x2.extract_lane(ok, 1) == 0) {
        if (nf >= maxFix) return -1;
        listFix(fix, nf++, i1, f32x4.extract_lane(pf, 1), f32x4.extract_lane(m, 1));
      }
    }
    const ga = f32x4.replace_lane(f32x4.splat(load<f32>(g0 + c0)), 1, load<f32>(g1 + c0));
    const gb = f32x4.replace_lane(f32x4.splat(load<f32>(g0 + c0, 4)), 1, load<f32>(g1 + c0, 4));
    let dphase = f64x2.sub(f64x2.promote_low_f32x4(f32x4.sub(gb, ga)), a);
    dphase = f64x2.sub(dphase, f64x2.mul(TWO_PI, f64x2.nearest(f64x2.div(dphase, TWO_PI))));
    p = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(p, f64x2.add(a, dphase))));
  }
  return nf;
}

// ---------------------------------------------------------------------------------------------
// the RBF kernel's exp for a float32 kernel row (mirrors src/models/svm/solver.ts rbfRowF32)

// Cody-Waite reduction by ln 2 in two pieces: LN2_HI is ln 2 rounded to 32 significant bits
// (k * LN2_HI exact for |k| < 2^21), LN2_LO the rest rounded to 53 bits; INV_LN2 is 1/ln 2
// rounded. Computed from ln 2 = 2 atanh(1/3) to 300 bits (scripts/tools/constants.js).
const LN2_HI: f64 = 0.693147180601954460144;
const LN2_LO: f64 = -4.20091507268108459794e-11;
const INV_LN2: f64 = 1.44269504088896338700;
/** bound on |fast exp - exact| / exact plus |Math.exp - exact| / exact (both well under 1e-15) */
const EXP_MARGIN: f64 = 4e-15;

/**
 * out[j] = <f32>exp(v_j), v_j = -g * (xi + xsq[j] - 2 * dots[j]) (float64, in that order), for
 * j < n: the kernel values of one row, as solver.ts writes them into a float32 row. exp comes
 * from a Cody-Waite reduction (v = k ln2 + r, |r| <= ln2 / 2) and the Taylor series of e^r to r^13
 * (relative error well under 1e-15). Where that value is within EXP_MARGIN of a float32
 * rounding boundary, or v is outside (-87, 88) (float32 subnormals and overflow), the element is
 * listed in `fix` (i32 j at +0, f64 v at +8; 16 bytes each, at most maxFix) for the caller to
 * compute with Math.exp, so every value is <f32>Math.exp(v). Returns the number listed, or -1
 * when more were needed (the caller then computes the whole row).
 */
export function rbfRow32(dots: usize, xsq: usize, n: i32, xi: f64, g: f64, out: usize, fix: usize, maxFix: i32): i32 {
  const lanes = memory.data(64, 16);
  let nf = 0;
  let j = 0;
  // four values per step, in two f64x2 chains (the polynomial's latency, not its arithmetic, is
  // the limit of one value at a time); each lane the scalar sequence below
  for (; j + 4 <= n; j += 4) {
    const ja = <usize>j;
    const v0 = rbfArgLanes(dots + (ja << 3), xsq + (ja << 3), xi, g);
    const v1 = rbfArgLanes(dots + (ja << 3) + 16, xsq + (ja << 3) + 16, xi, g);
    const e0 = expLanes(v0), e1 = expLanes(v1);
    const f0 = f32x4.demote_f64x2_zero(e0), f1 = f32x4.demote_f64x2_zero(e1);
    v128.store64_lane(out + (ja << 2), f0, 0);
    v128.store64_lane(out + (ja << 2) + 8, f1, 0);
    const ok = v128.and(expSure(v0, e0, f0), expSure(v1, e1, f1));
    if (!i32x4.all_true(ok)) {
      // list the lanes that failed (rare)
      v128.store(lanes, v0); v128.store(lanes, v1, 16); v128.store(lanes, e0, 32); v128.store(lanes, e1, 48);
      for (let q = 0; q < 4; q++) {
        const v = load<f64>(lanes + (<usize>q << 3)), e = load<f64>(lanes + (<usize>q << 3), 32);
        if (!rbfSure(v, e, load<f32>(out + (<usize>(j + q) << 2)))) {
          if (nf >= maxFix) return -1;
          listRbf(fix, nf++, j + q, v);
        }
      }
    }
  }
  for (; j < n; j++) {
    const v = -g * (xi + load<f64>(xsq + (<usize>j << 3)) - 2 * load<f64>(dots + (<usize>j << 3)));
    const e = expFast(v);
    const f = <f32>e;
    store<f32>(out + (<usize>j << 2), f);
    if (!rbfSure(v, e, f)) {
      if (nf >= maxFix) return -1;
      listRbf(fix, nf++, j, v);
    }
  }
  return nf;
}

/** fix entry e: i32 j at +0, f64 v at +8 */
// @ts-ignore: decorator
@inline function listRbf(fix: usize, e: i32, j: i32, v: f64): void {
  const q = fix + (<usize>e << 4);
  store<i32>(q, j);
  store<f64>(q, v, 8);
}

/** exp(v) by the Cody-Waite reduction and the Taylor series to r^13 (Estrin), for -87 < v < 88 (else any value). */
function expFast(v: f64): f64 {
  const k = nearest((v > -87.0 && v < 88.0 ? v : 0.0) * INV_LN2);
  const r = v - k * LN2_HI - k * LN2_LO;
  // the Taylor polynomial to r^13 by Estrin's scheme (short dependency chains)
  const r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const s0 = (1.0 + r) + (0.5 + r * (1.0 / 6.0)) * r2;
  const s1 = (1.0 / 24.0 + r * (1.0 / 120.0)) + (1.0 / 720.0 + r * (1.0 / 5040.0)) * r2;
  const s2 = (1.0 / 40320.0 + r * (1.0 / 362880.0)) + (1.0 / 3628800.0 + r * (1.0 / 39916800.0)) * r2;
  const s3 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
  const p = (s0 + s1 * r4) + (s2 + s3 * r4) * r8;
  return p * reinterpret<f64>((<i64>k + 1023) << 52);
}

/** Whether <f32>exp(v) is surely f = <f32>e, e = expFast(v): v in range and e farther than the margin from a float32 rounding boundary. */
function rbfSure(v: f64, e: f64, f: f32): bool {
  if (!(v > -87.0 && v < 88.0)) return false;
  const b = reinterpret<i32>(f);
  const mid = (<f64>f + <f64>reinterpret<f32>(e >= <f64>f ? b + 1 : b - 1)) * 0.5;
  return abs(mid - e) > EXP_MARGIN * e;
}

/** The two kernel arguments -g * (xi + xsq[j] - 2 * dots[j]) at (dots, xsq), in the lanes of an f64x2 (the scalar operations). */
// @ts-ignore: decorator
@inline function rbfArgLanes(dots: usize, xsq: usize, xi: f64, g: f64): v128 {
  return f64x2.mul(f64x2.splat(-g), f64x2.sub(f64x2.add(f64x2.splat(xi), v128.load(xsq)), f64x2.mul(f64x2.splat(2.0), v128.load(dots))));
}

/** expFast of the two values of v, in the lanes of an f64x2 (each lane expFast's operations). */
// @ts-ignore: decorator
@inline function expLanes(v: v128): v128 {
  const inRange = v128.and(f64x2.gt(v, f64x2.splat(-87.0)), f64x2.lt(v, f64x2.splat(88.0)));
  const k = f64x2.nearest(f64x2.mul(v128.and(v, inRange), f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(v, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  // expFast's Estrin scheme, per lane
  const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
  const s0 = f64x2.add(f64x2.add(f64x2.splat(1.0), r), f64x2.mul(f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0))), r2));
  const s1 = f64x2.add(
    f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0))),
    f64x2.mul(f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0))), r2),
  );
  const s2 = f64x2.add(
    f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0))),
    f64x2.mul(f64x2.add(f64x2.splat(1.0 / 3628800.0), f64x2.mul(r, f64x2.splat(1.0 / 39916800.0))), r2),
  );
  const s3 = f64x2.add(f64x2.splat(1.0 / 479001600.0), f64x2.mul(r, f64x2.splat(1.0 / 6227020800.0)));
  const p = f64x2.add(f64x2.add(s0, f64x2.mul(s1, r4)), f64x2.mul(f64x2.add(s2, f64x2.mul(s3, r4)), r8));
  // 2^k: (k + 1023) << 52 as the bits of a float64, per lane
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return f64x2.mul(p, i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52));
}

/** Per lane (as i32x4 lanes 0, 1 of the result: -1 or 0, lanes 2, 3: -1): rbfSure for the two values v, given their fast exp e and its float32 f. */
// @ts-ignore: decorator
@inline function expSure(v: v128, e: v128, f: v128): v128 {
  const inRange = v128.and(f64x2.gt(v, f64x2.splat(-87.0)), f64x2.lt(v, f64x2.splat(88.0)));
  const fd = f64x2.promote_low_f32x4(f);
  const up = f64x2.ge(e, fd);
  const up32 = i32x4.shuffle(up, up, 0, 2, 0, 2);
  // the neighbour's bits: b + 1 where e >= f, else b - 1
  const nb = i32x4.sub(i32x4.sub(f, i32x4.splat(1)), i32x4.add(up32, up32));
  const mid = f64x2.mul(f64x2.add(fd, f64x2.promote_low_f32x4(nb)), f64x2.splat(0.5));
  const ok = v128.and(inRange, f64x2.gt(f64x2.abs(f64x2.sub(mid, e)), f64x2.mul(f64x2.splat(EXP_MARGIN), e)));
  // i64 lanes to i32 lanes 0, 1; lanes 2, 3 true
  return v128.or(i32x4.shuffle(ok, ok, 0, 2, 0, 2), i32x4(0, 0, -1, -1));
}

// ---------------------------------------------------------------------------------------------
// SVM working-set selection (mirrors src/models/svm/solver.ts selectWorkingSet, libsvm's WSS3)
//
// Both scans run two chains in the lanes of f64x2 (lane 0 the even indices, lane 1 the odd ones),
// each lane exactly the scalar scan over its indices, with selects instead of branches (which way
// a comparison goes is data; mispredicting it cost more than the arithmetic, and f64x2.div does
// two of the divisions for the price of one). The lanes are merged as one scan in order would
// end: the better value, and on a tie the later index (libsvm's `>=` and `<=`).

/** lanes all ones where the byte at p (lane 0) or p + 1 (lane 1) is not 0 (the pair splat, widened) */
// @ts-ignore: decorator
@inline function byteMask2(p: usize): v128 {
  const b = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(p))));
  return i64x2.ne(b, i64x2.splat(0));
}

/**
 * WSS3's first scan: over t < n with up[t] != 0 (I_up), the last t with the largest
 * v = -yf[t] * G[t]. Writes that v (-Infinity if none) at `out` and returns t, or -1.
 */
export function wssMaxUp(G: usize, yf: usize, up: usize, n: i32, out: usize): i32 {
  let g = f64x2.splat(-Infinity);
  let idx = i64x2.splat(-1);
  let jv = i64x2(0, 1);
  const two = i64x2.splat(2);
  const half = n & ~1;
  for (let t = 0; t < half; t += 2) {
    const p = <usize>t << 3;
    const v = f64x2.mul(f64x2.neg(v128.load(yf + p)), v128.load(G + p));
    const c = v128.and(byteMask2(up + <usize>t), f64x2.ge(v, g));
    g = v128.bitselect(v, g, c);
    idx = v128.bitselect(jv, idx, c);
    jv = i64x2.add(jv, two);
  }
  let g0 = f64x2.extract_lane(g, 0), g1 = f64x2.extract_lane(g, 1);
  let i0 = <i32>i64x2.extract_lane(idx, 0), i1 = <i32>i64x2.extract_lane(idx, 1);
  if (half < n) {
    // the last index goes to lane 1's chain, after its others
    const p = <usize>half << 3;
    const v = -load<f64>(yf + p) * load<f64>(G + p);
    if (load<u8>(up + <usize>half) != 0 && v >= g1) {
      g1 = v;
      i1 = half;
    }
  }
  const c = g1 > g0 || (g1 == g0 && i1 > i0);
  store<f64>(out, c ? g1 : g0);
  return c ? i1 : i0;
}

/**
 * WSS3's second scan, given Gmax and row i (QDi = QD[i], yi2 = 2 yf[i], Qi its kernel column as
 * float32): over j < n with low[j] != 0 (I_low), Gmax2 = the largest yf[j] * G[j], and the last
 * j with the smallest objDiff = -(gradDiff^2) / quad among those with gradDiff = Gmax +
 * yf[j] G[j] > 0, quad = QDi + QD[j] - yi2 yf[j] Qi[j] (tau where quad <= 0). The same float64
 * operations in the same order as solver.ts. Writes Gmax2 at `out` and returns j, or -1.
 */
export function wssMinObj(G: usize, yf: usize, low: usize, QD: usize, Qi: usize, n: i32, gmax: f64, QDi: f64, yi2: f64, tau: f64, out: usize): i32 {
  let m = f64x2.splat(-Infinity);
  let o = f64x2.splat(Infinity);
  let km = i64x2.splat(-1);
  let ko = i64x2.splat(-1);
  let jv = i64x2(0, 1);
  const two = i64x2.splat(2);
  const gmaxV = f64x2.splat(gmax), qdiV = f64x2.splat(QDi), yi2V = f64x2.splat(yi2), tauV = f64x2.splat(tau);
  const zero = f64x2.splat(0);
  const half = n & ~1;
  for (let j = 0; j < half; j += 2) {
    const p = <usize>j << 3;
    const l = byteMask2(low + <usize>j);
    const yfv = v128.load(yf + p);
    const yg = f64x2.mul(yfv, v128.load(G + p));
    const gd = f64x2.add(gmaxV, yg);
    const a = v128.and(l, f64x2.ge(yg, m));
    m = v128.bitselect(yg, m, a);
    km = v128.bitselect(jv, km, a);
    const qi = f64x2.promote_low_f32x4(v128.load64_zero(Qi + (<usize>j << 2)));
    const quad = f64x2.sub(f64x2.add(qdiV, v128.load(QD + p)), f64x2.mul(f64x2.mul(yi2V, yfv), qi));
    const od = f64x2.div(f64x2.neg(f64x2.mul(gd, gd)), v128.bitselect(quad, tauV, f64x2.gt(quad, zero)));
    const c = v128.and(v128.and(l, f64x2.gt(gd, zero)), f64x2.le(od, o));
    o = v128.bitselect(od, o, c);
    ko = v128.bitselect(jv, ko, c);
    jv = i64x2.add(jv, two);
  }
  let m0 = f64x2.extract_lane(m, 0), m1 = f64x2.extract_lane(m, 1);
  let o0 = f64x2.extract_lane(o, 0), o1 = f64x2.extract_lane(o, 1);
  let k0 = <i32>i64x2.extract_lane(km, 0), k1 = <i32>i64x2.extract_lane(km, 1);
  let i0 = <i32>i64x2.extract_lane(ko, 0), i1 = <i32>i64x2.extract_lane(ko, 1);
  if (half < n) {
    // the last index goes to lane 1's chain, after its others
    const j = half;
    const p = <usize>j << 3;
    if (load<u8>(low + <usize>j) != 0) {
      const yfj = load<f64>(yf + p);
      const yg = yfj * load<f64>(G + p);
      const gd = gmax + yg;
      if (yg >= m1) {
        m1 = yg;
        k1 = j;
      }
      if (gd > 0) {
        const quad = QDi + load<f64>(QD + p) - yi2 * yfj * <f64>load<f32>(Qi + (<usize>j << 2));
        const od = -(gd * gd) / (quad > 0 ? quad : tau);
        if (od <= o1) {
          o1 = od;
          i1 = j;
        }
      }
    }
  }
  // Gmax2: the larger, on a tie the later one's value (+0 and -0 compare equal)
  store<f64>(out, m1 > m0 || (m1 == m0 && k1 > k0) ? m1 : m0);
  // objDiff: the smaller, on a tie the later index
  return o1 < o0 || (o1 == o0 && i1 > i0) ? i1 : i0;
}

/**
 * SMO's gradient update (solver.ts solve): G[k] += Qi[k] * dai + Qj[k] * daj for k < n, Qi and Qj
 * float32 columns, float64 arithmetic in that order (no fused multiply-add), two k per f64x2.
 */
export function smoGradient(G: usize, Qi: usize, Qj: usize, n: i32, dai: f64, daj: f64): void {
  const a = f64x2.splat(dai), b = f64x2.splat(daj);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const p = <usize>k << 3;
    const q = <usize>k << 2;
    const qi = f64x2.promote_low_f32x4(v128.load64_zero(Qi + q));
    const qj = f64x2.promote_low_f32x4(v128.load64_zero(Qj + q));
    v128.store(G + p, f64x2.add(v128.load(G + p), f64x2.add(f64x2.mul(qi, a), f64x2.mul(qj, b))));
  }
  if (k < n) {
    const p = <usize>k << 3;
    const q = <usize>k << 2;
    store<f64>(G + p, load<f64>(G + p) + (<f64>load<f32>(Qi + q) * dai + <f64>load<f32>(Qj + q) * daj));
  }
}

// ---------------------------------------------------------------------------------------------
// atan2, log and log10 to a few ulp, with fix lists (the loops that call Math.atan2 / Math.log /
// Math.log10 in TypeScript)
//
// These are our own approximations, accurate to a known bound; they do not reproduce the engine's
// Math.* bits. The kernels round their values to float32, and an element whose float32 rounding
// could differ from that of the engine's value (the approximation lies within the margin of a
// float32 rounding boundary, or the input is outside the range the approximation handles) is
// listed for the caller, which computes it with Math.* exactly as its TypeScript loop does. So
// every output has the TypeScript loop's bits whatever Math.* returns, as long as Math.* is within
// a few ulp of the exact value (the margin is several times the sum of both errors).
//
// Error bounds (eps = 2^-53; relative to the exact value; the derivations count each rounding):
// - atan2Fast: t = min / max of |x|, |y| (eps; atan's relative condition number is <= 1 on [0, 1]),
//   c = k / 16 nearest t and u = (t - c) / (1 + t c), |u| <= 1/32 (<= 4 eps relative), atan(u) by
//   its Taylor series to u^11 (truncation < u^12 / 13 <= 2^-60 / 13 relative, roundings ~ 2 eps),
//   plus atan(c) from the table (Math.atan, <= 2 eps): where c > 0, |atan(u)| <= atan(t), so
//   atan(t) is within 12 eps. pi/2 - a (swap, a <= pi/4) and pi - a (x < 0, a <= pi/2) keep the
//   result >= a and add a constant's error and a rounding: <= 18 eps ~ 2.0e-15.
// - logFast: x = 2^e m, m in [sqrt(1/2), sqrt(2)) exact; s = (m - 1) / (m + 1) (m - 1 exact,
//   <= 2 eps), log m = 2 atanh(s) = 2 (s + s^3/3 + ... + s^19/19) (|s| <= 0.1716, s^2 <= 0.0295:
//   truncation < s^20 / 21 / (1 - s^2) < 2.5e-17 relative, the tail's roundings << eps): log m
//   within 3.1 eps. e ln2 (the constant within eps / 2, one rounding) within 1.5 eps, and for
//   e != 0, |log m| <= ln2 / 2 <= |e ln2| / 2 <= |log x|: the sum within 8 eps ~ 8.9e-16.
// - log10Fast = logFast / LN10 (the constant within eps / 2, one rounding): within 10 eps ~ 1.1e-15.
// With Math.*'s own error (1 ulp, <= 2 eps) the distance between the approximation and the engine's
// value is under 20 eps ~ 2.3e-15 relative; the margin is 1e-14, over four times that.

/** relative distance from a float32 rounding boundary below which an element is listed (setLibMargin changes it, for tests) */
let libMargin: f64 = 1e-14;

/** Sets the margin of the atan2 / log / log10 kernels (tests force it huge, so that every element is listed); returns the old one. */
export function setLibMargin(m: f64): f64 {
  const old = libMargin;
  libMargin = m;
  return old;
}

/** atan(k / 16) for k = 0..16, written by the loader with Math.atan (DspWasm's constructor) */
const ATAN_TAB: usize = memory.data(17 * 8, 16);

/** Where the loader writes the 17 values atan(k / 16) (Math.atan(k / 16), k = 0..16). */
export function atanTable(): usize {
  return ATAN_TAB;
}

const HALF_PI: f64 = 1.5707963267948966;
const PI_: f64 = 3.141592653589793;
const LN2_: f64 = 0.6931471805599453;
const LN10_: f64 = 2.302585092994046;
const SQRT2_: f64 = 1.4142135623730951;
/** the range of |x|, |y| atan2Fast handles (else the element is listed) */
const ATAN2_LO: f64 = 3.054936363499605e-151; // 2^-500
const ATAN2_HI: f64 = 3.273390607896142e150; // 2^500
/** the smallest normal float64 (logFast handles [this, Infinity)) */
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

/**
 * atan2(y, x) for |x|, |y| in [2^-500, 2^500] (else any value): within 18 eps of the exact value
 * (see above). The octant's t in [0, 1], c = k / 16 nearest t, atan(t) = atan(c) + atan(u) with
 * u = (t - c) / (1 + t c), the Taylor series of atan(u) (coefficients (-1)^j / (2j + 1)).
 */
function atan2Fast(y: f64, x: f64): f64 {
  const ax = abs(x), ay = abs(y);
  const swap = ay > ax;
  const t = swap ? ax / ay : ay / ax;
  const k = nearest(t * 16.0);
  const c = k * 0.0625;
  const u = (t - c) / (1.0 + t * c);
  const u2 = u * u;
  const p = u + u * u2 * (-1.0 / 3.0 + u2 * (1.0 / 5.0 + u2 * (-1.0 / 7.0 + u2 * (1.0 / 9.0 + u2 * (-1.0 / 11.0)))));
  let a = load<f64>(ATAN_TAB + (<usize><i32>k << 3)) + p;
  if (swap) a = HALF_PI - a;
  if (x < 0) a = PI_ - a;
  return y < 0 ? -a : a;
}

/** Whether atan2Fast handles (y, x): both magnitudes in [2^-500, 2^500] (false for 0, subnormals, Inf, NaN). */
// @ts-ignore: decorator
@inline function atan2InRange(y: f64, x: f64): bool {
  const ax = abs(x), ay = abs(y);
  return ax >= ATAN2_LO && ax <= ATAN2_HI && ay >= ATAN2_LO && ay <= ATAN2_HI;
}

/**
 * z (1/3 + z/5 + z^2/7 + ... + z^8/19): the series of atanh(s) / s - 1 to s^18 at z = s^2, by
 * Estrin's scheme (short dependency chains; the same operations in logFast and logLanes).
 */
// @ts-ignore: decorator
@inline function atanhTail(z: f64): f64 {
  const z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const b0 = (1.0 / 3.0 + z * (1.0 / 5.0)) + (1.0 / 7.0 + z * (1.0 / 9.0)) * z2;
  const b1 = (1.0 / 11.0 + z * (1.0 / 13.0)) + (1.0 / 15.0 + z * (1.0 / 17.0)) * z2;
  return z * ((b0 + b1 * z4) + z8 * (1.0 / 19.0));
}

/** atanhTail in the lanes of an f64x2 (each lane atanhTail's operations). */
// @ts-ignore: decorator
@inline function atanhTailLanes(z: v128): v128 {
  const z2 = f64x2.mul(z, z), z4 = f64x2.mul(z2, z2), z8 = f64x2.mul(z4, z4);
  const a0 = f64x2.add(f64x2.splat(1.0 / 3.0), f64x2.mul(z, f64x2.splat(1.0 / 5.0)));
  const a1 = f64x2.add(f64x2.splat(1.0 / 7.0), f64x2.mul(z, f64x2.splat(1.0 / 9.0)));
  const a2 = f64x2.add(f64x2.splat(1.0 / 11.0), f64x2.mul(z, f64x2.splat(1.0 / 13.0)));
  const a3 = f64x2.add(f64x2.splat(1.0 / 15.0), f64x2.mul(z, f64x2.splat(1.0 / 17.0)));
  const b0 = f64x2.add(a0, f64x2.mul(a1, z2));
  const b1 = f64x2.add(a2, f64x2.mul(a3, z2));
  return f64x2.mul(z, f64x2.add(f64x2.add(b0, f64x2.mul(b1, z4)), f64x2.mul(z8, f64x2.splat(1.0 / 19.0))));
}

/** logFast of both lanes of an f64x2 (each lane logFast's operations, without branches). */
// @ts-ignore: decorator
@inline function logLanes(x: v128): v128 {
  const ei = i32x4.sub(i32x4.shuffle(i64x2.shr_u(x, 52), x, 0, 2, 0, 2), i32x4.splat(1023));
  let e = f64x2.convert_low_i32x4_s(ei);
  let m = v128.or(v128.and(x, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(SQRT2_));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = v128.bitselect(f64x2.add(e, f64x2.splat(1.0)), e, big);
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const q = atanhTailLanes(f64x2.mul(s, s));
  return f64x2.add(f64x2.mul(e, f64x2.splat(LN2_)), f64x2.mul(f64x2.splat(2.0), f64x2.add(s, f64x2.mul(s, q))));
}

/** Per lane: logInRange (an i64x2 mask). */
// @ts-ignore: decorator
@inline function logInRangeLanes(x: v128): v128 {
  return v128.and(f64x2.ge(x, f64x2.splat(MIN_NORMAL)), f64x2.lt(x, f64x2.splat(Infinity)));
}

/** atan2Fast of the lanes of two f64x2 (each lane atan2Fast's operations, without branches). */
// @ts-ignore: decorator
@inline function atan2Lanes(y: v128, x: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y);
  const swap = f64x2.gt(ay, ax);
  const t = f64x2.div(v128.bitselect(ax, ay, swap), v128.bitselect(ay, ax, swap));
  const k = f64x2.nearest(f64x2.mul(t, f64x2.splat(16.0)));
  const c = f64x2.mul(k, f64x2.splat(0.0625));
  const u = f64x2.div(f64x2.sub(t, c), f64x2.add(f64x2.splat(1.0), f64x2.mul(t, c)));
  const u2 = f64x2.mul(u, u);
  let w = f64x2.add(f64x2.splat(1.0 / 9.0), f64x2.mul(u2, f64x2.splat(-1.0 / 11.0)));
  w = f64x2.add(f64x2.splat(-1.0 / 7.0), f64x2.mul(u2, w));
  w = f64x2.add(f64x2.splat(1.0 / 5.0), f64x2.mul(u2, w));
  w = f64x2.add(f64x2.splat(-1.0 / 3.0), f64x2.mul(u2, w));
  const p = f64x2.add(u, f64x2.mul(f64x2.mul(u, u2), w));
  const ki = i32x4.trunc_sat_f64x2_s_zero(k);
  const tk = f64x2(load<f64>(ATAN_TAB + (<usize>i32x4.extract_lane(ki, 0) << 3)), load<f64>(ATAN_TAB + (<usize>i32x4.extract_lane(ki, 1) << 3)));
  let a = f64x2.add(tk, p);
  a = v128.bitselect(f64x2.sub(f64x2.splat(HALF_PI), a), a, swap);
  a = v128.bitselect(f64x2.sub(f64x2.splat(PI_), a), a, f64x2.lt(x, f64x2.splat(0.0)));
  return v128.bitselect(f64x2.neg(a), a, f64x2.lt(y, f64x2.splat(0.0)));
}

/** Per lane: atan2InRange (an i64x2 mask). */
// @ts-ignore: decorator
@inline function atan2InRangeLanes(y: v128, x: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y);
  const lo = f64x2.splat(ATAN2_LO), hi = f64x2.splat(ATAN2_HI);
  return v128.and(v128.and(f64x2.ge(ax, lo), f64x2.le(ax, hi)), v128.and(f64x2.ge(ay, lo), f64x2.le(ay, hi)));
}

/** log(x) for normal positive finite x (else any value): within 8 eps of the exact value (see above). */
function logFast(x: f64): f64 {
  const b = reinterpret<u64>(x);
  let e = <f64>(<i32>(b >>> 52) - 1023);
  let m = reinterpret<f64>((b & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2_) {
    m *= 0.5;
    e += 1.0;
  }
  const s = (m - 1.0) / (m + 1.0);
  const q = atanhTail(s * s);
  return e * LN2_ + 2.0 * (s + s * q);
}

/** Whether logFast handles x: normal, positive and finite (false for 0, subnormals, negatives, Inf, NaN). */
// @ts-ignore: decorator
@inline function logInRange(x: f64): bool {
  return x >= MIN_NORMAL && x < Infinity;
}

/** log10(x) = logFast(x) / ln10 for normal positive finite x: within 10 eps of the exact value. */
// @ts-ignore: decorator
@inline function log10Fast(x: f64): f64 {
  return logFast(x) / LN10_;
}

/**
 * Whether the float32 rounding of every value within `tol` of `v` is `f` = <f32>v: v is farther
 * than tol from the midpoint between f and its float32 neighbour on v's side (exact arithmetic:
 * float32 values and their midpoints are float64 values). False for NaN and infinite v, and for
 * |f| the largest float32 (its upper boundary is not a midpoint of two finite float32).
 */
// @ts-ignore: decorator
@inline function f32Sure(v: f64, f: f32, tol: f64): bool {
  const av = abs(v);
  const af = abs(f);
  const b = reinterpret<i32>(af);
  const nb = av >= <f64>af ? b + 1 : b - 1;
  const mid = (<f64>af + <f64>reinterpret<f32>(nb)) * 0.5;
  return abs(mid - av) > tol && af < <f32>3.0e38;
}

/** Per lane (an i64x2 mask): f32Sure for the f64x2 v, its float32 rounding f (f32x4 lanes 0, 1) and the f64x2 tol. */
// @ts-ignore: decorator
@inline function f32SureLanes(v: v128, f: v128, tol: v128): v128 {
  const av = f64x2.abs(v);
  const fa = f32x4.abs(f);
  const afd = f64x2.promote_low_f32x4(fa);
  // the neighbour of |f| on |v|'s side: bits + 1 where |v| >= |f|, else bits - 1
  const up = f64x2.ge(av, afd);
  const up32 = i32x4.shuffle(up, up, 0, 2, 0, 2);
  const nb = i32x4.sub(i32x4.sub(fa, i32x4.splat(1)), i32x4.add(up32, up32));
  const mid = f64x2.mul(f64x2.add(afd, f64x2.promote_low_f32x4(nb)), f64x2.splat(0.5));
  return v128.and(f64x2.gt(f64x2.abs(f64x2.sub(mid, av)), tol), f64x2.lt(afd, f64x2.splat(<f64><f32>3.0e38)));
}

/** Lists lanes 0, 1 whose mask lane is 0 (indices i, i + 1) in `fix` from entry nf; returns the new count. */
// @ts-ignore: decorator
@inline function listLanes(ok: v128, i: i32, fix: usize, nf: i32): i32 {
  if (i64x2.extract_lane(ok, 0) == 0) {
    store<i32>(fix + (<usize>nf << 2), i);
    nf++;
  }
  if (i64x2.extract_lane(ok, 1) == 0) {
    store<i32>(fix + (<usize>nf << 2), i + 1);
    nf++;
  }
  return nf;
}

/**
 * For tests: the approximations over float64 arrays. kind 0: out[i] = atan2Fast(a[i], b[i]);
 * 1: logFast(a[i]); 2: log10Fast(a[i]). With `lanes` set two at a time by the f64x2 versions
 * (atan2Lanes, logLanes), an odd last one by the scalar. The indices of the arguments outside
 * the approximation's range go to `fix` (i32); returns their number.
 */
export function approxArray(kind: i32, a: usize, b: usize, out: usize, n: i32, lanes: i32, fix: usize): i32 {
  let nf = 0;
  let i = 0;
  if (lanes) {
    for (; i + 1 < n; i += 2) {
      const p = <usize>i << 3;
      const u = v128.load(a + p);
      let v: v128, ok: v128;
      if (kind == 0) {
        const w = v128.load(b + p);
        v = atan2Lanes(u, w);
        ok = atan2InRangeLanes(u, w);
      } else {
        v = logLanes(u);
        if (kind == 2) v = f64x2.div(v, f64x2.splat(LN10_));
        ok = logInRangeLanes(u);
      }
      v128.store(out + p, v);
      if (!i64x2.all_true(ok)) nf = listLanes(ok, i, fix, nf);
    }
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    const u = load<f64>(a + p);
    const w = kind == 0 ? load<f64>(b + p) : 0.0;
    store<f64>(out + p, kind == 0 ? atan2Fast(u, w) : kind == 1 ? logFast(u) : log10Fast(u));
    if (!(kind == 0 ? atan2InRange(u, w) : logInRange(u))) {
      store<i32>(fix + (<usize>nf << 2), i);
      nf++;
    }
  }
  return nf;
}

/**
 * augment.ts spectrumPolar: for the bins x n float32 STFT `re`, `im` (row-major), magnitude
 * f32(sqrt(re^2 + im^2)) (float64 sqrt is correctly rounded: the TypeScript's bits) and angle
 * f32(atan2Fast(im, re)) into rows of n + 2 float32 at `mag`, `ang` (the last two of each row
 * set to 0). The index k * n + t of each angle that may not be f32(Math.atan2(im, re)) (its
 * arguments outside atan2Fast's range, or its value within the margin of a float32 rounding
 * boundary) goes to `fix` (i32; room for bins * n), for the caller to compute. Returns how many.
 * Two frames at a time in the f64x2 lanes (atan2Lanes), an odd last one alone.
 */
export function spectrumPolar32(re: usize, im: usize, bins: i32, n: i32, mag: usize, ang: usize, fix: usize): i32 {
  const stride = n + 2;
  const tol = libMargin;
  const tol2 = f64x2.splat(tol);
  let nf = 0;
  for (let k = 0; k < bins; k++) {
    const src = <usize>(k * n) << 2;
    const dst = <usize>(k * stride) << 2;
    let t = 0;
    for (; t + 1 < n; t += 2) {
      const q = <usize>t << 2;
      const r2 = f64x2.promote_low_f32x4(v128.load64_zero(re + src + q));
      const i2 = f64x2.promote_low_f32x4(v128.load64_zero(im + src + q));
      const m2 = f64x2.sqrt(f64x2.add(f64x2.mul(r2, r2), f64x2.mul(i2, i2)));
      v128.store64_lane(mag + dst + q, f32x4.demote_f64x2_zero(m2), 0);
      const v = atan2Lanes(i2, r2);
      const f = f32x4.demote_f64x2_zero(v);
      v128.store64_lane(ang + dst + q, f, 0);
      const ok = v128.and(atan2InRangeLanes(i2, r2), f32SureLanes(v, f, f64x2.mul(tol2, f64x2.abs(v))));
      if (!i64x2.all_true(ok)) nf = listLanes(ok, k * n + t, fix, nf);
    }
    for (; t < n; t++) {
      const q = <usize>t << 2;
      const r = <f64>load<f32>(re + src + q);
      const i = <f64>load<f32>(im + src + q);
      store<f32>(mag + dst + q, <f32>Math.sqrt(r * r + i * i));
      const v = atan2Fast(i, r);
      const f = <f32>v;
      store<f32>(ang + dst + q, f);
      if (!(atan2InRange(i, r) && f32Sure(v, f, tol * abs(v)))) {
        store<i32>(fix + (<usize>nf << 2), k * n + t);
        nf++;
      }
    }
    const q = <usize>n << 2;
    store<f32>(mag + dst + q, 0);
    store<f32>(mag + dst + q + 4, 0);
    store<f32>(ang + dst + q, 0);
    store<f32>(ang + dst + q + 4, 0);
  }
  return nf;
}

/**
 * convert.ts powerToDb's float32 loop before its top_db floor: out[i] = f32(f32(10 * f32(L)) -
 * r32) with L = log10Fast(v), v = src[i] > a32 ? src[i] : a32. Each i whose f32(L) may not be
 * f32(Math.log10(v)) (v outside log10Fast's range, or L within the margin of a float32 rounding
 * boundary) goes to `fix` (i32; room for n), for the caller to compute (and then to apply the
 * floor). Returns how many. Two elements at a time in the f64x2 lanes (logLanes), an odd last
 * one alone.
 */
export function powerToDb32(src: usize, out: usize, n: i32, a32: f32, r32: f32, fix: usize): i32 {
  const r = <f64>r32;
  const tol = libMargin;
  const tol2 = f64x2.splat(tol);
  const a4 = f32x4.splat(a32);
  let nf = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const q = <usize>i << 2;
    const s = v128.load64_zero(src + q);
    const v = f64x2.promote_low_f32x4(v128.bitselect(s, a4, f32x4.gt(s, a4)));
    const l = f64x2.div(logLanes(v), f64x2.splat(LN10_));
    const lf = f32x4.demote_f64x2_zero(l);
    const t = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(f64x2.splat(10.0), f64x2.promote_low_f32x4(lf))));
    v128.store64_lane(out + q, f32x4.demote_f64x2_zero(f64x2.sub(t, f64x2.splat(r))), 0);
    const ok = v128.and(logInRangeLanes(v), f32SureLanes(l, lf, f64x2.mul(tol2, f64x2.abs(l))));
    if (!i64x2.all_true(ok)) nf = listLanes(ok, i, fix, nf);
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const s = load<f32>(src + q);
    const v = <f64>(s > a32 ? s : a32);
    const l = log10Fast(v);
    const lf = <f32>l;
    store<f32>(out + q, <f32>(<f64><f32>(10.0 * <f64>lf) - r));
    if (!(logInRange(v) && f32Sure(l, lf, tol * abs(l)))) {
      store<i32>(fix + (<usize>nf << 2), i);
      nf++;
    }
  }
  return nf;
}

// ---------------------------------------------------------------------------------------------
// noise (mirrors src/audio/augment.ts addNoise with randomState: numpy's legacy RandomState)

/** the index of the next MT19937 word to temper (gaussNoise32 keeps it here while it runs) */
let mtPos: i32 = 624;

/** MT19937's regeneration of the 624 words at `mt` (core/random.ts nextUint32, mti >= N). */
function mtRegen(mt: usize): void {
  let kk = 0;
  let y: u32;
  for (; kk < 624 - 397; kk++) {
    const p = mt + (<usize>kk << 2);
    y = (load<u32>(p) & 0x80000000) | (load<u32>(p, 4) & 0x7fffffff);
    store<u32>(p, load<u32>(p + (397 << 2)) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0));
  }
  for (; kk < 623; kk++) {
    const p = mt + (<usize>kk << 2);
    y = (load<u32>(p) & 0x80000000) | (load<u32>(p, 4) & 0x7fffffff);
    store<u32>(p, load<u32>(p - ((624 - 397) << 2)) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0));
  }
  y = (load<u32>(mt + (623 << 2)) & 0x80000000) | (load<u32>(mt) & 0x7fffffff);
  store<u32>(mt + (623 << 2), load<u32>(mt + (396 << 2)) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0));
}

/** MT19937's genrand_int32 (core/random.ts nextUint32) on the 624 state words at `mt`. */
// @ts-ignore: decorator
@inline function mtNext(mt: usize): u32 {
  if (mtPos >= 624) {
    mtRegen(mt);
    mtPos = 0;
  }
  let y = load<u32>(mt + (<usize>mtPos << 2));
  mtPos++;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y;
}

/** numpy's random_sample (core/random.ts MT19937.random): 53 bits from two words. */
// @ts-ignore: decorator
@inline function mtRandom(mt: usize): f64 {
  const a = mtNext(mt) >>> 5;
  const b = mtNext(mt) >>> 6;
  return (<f64>a * 67108864.0 + <f64>b) / 9007199254740992.0;
}

/**
 * addNoise's loop (augment.ts, rng a LegacyRandomState): out[i] = f32(y[i] + a * g) with g
 * numpy's legacy_gauss (Marsaglia's polar method on random_sample: f = sqrt(-2 log(r2) / r2),
 * g = f * x2, the second value f * x1 cached), log from logFast. `mt`: the 624 MT19937 words;
 * `st`: i32 index of the next word at +0, i32 whether a value is cached at +4, f64 that value at
 * +8 (exact on entry), and on return i32 at +16 set when the cached value is one drawn here, its
 * r2 at +24 and x1 at +32 (then the caller recomputes it with Math.log). The MT19937 state and
 * index are updated as the TypeScript generator's would be. Each sample whose float32 value may
 * differ from the TypeScript's (w = y + a g within the margin of a float32 rounding boundary; the
 * margin tol * (|a g| + |w|) covers logFast's error carried through the division, sqrt and the
 * products, about 12 eps of |a g|, and Math.log's) goes to `fix` (24 bytes each: i32 i at +0, f64
 * r2 at +8, f64 x at +16: g = sqrt(-2 log(r2) / r2) * x; room for n). Returns how many.
 *
 * In three passes over `work` (32 bytes per pair, n / 2 + 1 pairs): the pairs drawn (the
 * MT19937 stream and the rejections in order), their f two at a time in the f64x2 lanes
 * (logLanes; each lane logFast's operations), then the samples.
 */
export function gaussNoise32(y: usize, n: i32, a: f64, mt: usize, st: usize, out: usize, fix: usize, work: usize): i32 {
  const tol = libMargin;
  mtPos = load<i32>(st);
  let i = 0;
  if (load<i32>(st, 4) && n > 0) {
    // the TypeScript's own cached value: exact, nothing to check
    store<f32>(out, <f32>(<f64>load<f32>(y) + a * load<f64>(st, 8)));
    i = 1;
  }
  const pairs = (n - i + 1) >> 1;
  const R = work, X1 = work + (<usize>pairs << 3), X2 = work + (<usize>pairs << 4), F = work + (<usize>pairs * 24);
  for (let p = 0; p < pairs; p++) {
    let x1: f64, x2: f64, r2: f64;
    do {
      x1 = 2.0 * mtRandom(mt) - 1.0;
      x2 = 2.0 * mtRandom(mt) - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    const q = <usize>p << 3;
    store<f64>(R + q, r2);
    store<f64>(X1 + q, x1);
    store<f64>(X2 + q, x2);
  }
  let p = 0;
  for (; p + 1 < pairs; p += 2) {
    const q = <usize>p << 3;
    const r = v128.load(R + q);
    v128.store(F + q, f64x2.sqrt(f64x2.div(f64x2.mul(f64x2.splat(-2.0), logLanes(r)), r)));
  }
  if (p < pairs) {
    const q = <usize>p << 3;
    const r2 = load<f64>(R + q);
    store<f64>(F + q, Math.sqrt((-2.0 * logFast(r2)) / r2));
  }
  let nf = 0;
  for (p = 0; p < pairs; p++) {
    const q = <usize>p << 3;
    const f = load<f64>(F + q);
    // the pair's two samples: f * x2, then (the cached value) f * x1
    for (let h = 0; h < 2 && i < n; h++) {
      const x = load<f64>(h ? X1 + q : X2 + q);
      const ag = a * (f * x);
      const o = <usize>i << 2;
      const w = <f64>load<f32>(y + o) + ag;
      const v = <f32>w;
      store<f32>(out + o, v);
      if (!f32Sure(w, v, tol * (abs(ag) + abs(w)))) {
        const e = fix + <usize>nf * 24;
        store<i32>(e, i);
        store<f64>(e, load<f64>(R + q), 8);
        store<f64>(e, x, 16);
        nf++;
      }
      i++;
    }
  }
  // an odd count leaves the last pair's f * x1 cached (drawn here: the caller recomputes it)
  const left = pairs > 0 && ((n - load<i32>(st, 4)) & 1) != 0 ? 1 : 0;
  store<i32>(st, mtPos);
  if (n > 0) store<i32>(st, left, 4);
  store<i32>(st, left, 16);
  if (left) {
    const q = <usize>(pairs - 1) << 3;
    store<f64>(st, load<f64>(F + q) * load<f64>(X1 + q), 8);
    store<f64>(st, load<f64>(R + q), 24);
    store<f64>(st, load<f64>(X1 + q), 32);
  }
  return nf;
}
