// The float64 constants of the wasm kernels' fast sin/cos and exp (kernel-lib/wasm/dsp.ts), from
// first principles: pi (Machin's formula) and ln 2 (2 atanh(1/3)) to 300 bits in BigInt fixed
// point, then Cody-Waite splits (a head rounded to few significant bits, so that k * head is
// exact, and the rest). `node scripts/tools/constants.js` prints them; the wasm kernels' test
// checks that dsp.ts holds these values.

const P = 300n;
const ONE = 1n << P;

/** atan(1/x) * 2^P */
function atanInv(x) {
  let sum = 0n;
  let term = ONE / x;
  let n = 1n;
  let sign = 1n;
  while (term !== 0n) {
    sum += (sign * term) / n;
    term /= x * x;
    n += 2n;
    sign = -sign;
  }
  return sum;
}

/** atanh(1/x) * 2^P */
function atanhInv(x) {
  let sum = 0n;
  let term = ONE / x;
  let n = 1n;
  while (term !== 0n) {
    sum += term / n;
    term /= x * x;
    n += 2n;
  }
  return sum;
}

/** v * 2^-P (v > 0 or < 0) rounded to `bits` significant bits, as a float64 */
function round(v, bits) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const shift = BigInt(a.toString(2).length - bits);
  const m = shift > 0n ? (a + (1n << (shift - 1n))) >> shift : a << -shift;
  const d = Number(m) * 2 ** Number(shift - P);
  return neg ? -d : d;
}

/** a float64 as v * 2^P exactly */
function fixed(d) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const e = BigInt(((hi >>> 20) & 0x7ff) - 1075) + P;
  const mant = (BigInt((hi & 0xfffff) | 0x100000) << 32n) | BigInt(lo);
  const v = e >= 0n ? mant << e : mant >> -e;
  return d < 0 ? -v : v;
}

function constants() {
  const pi = 4n * (4n * atanInv(5n) - atanInv(239n));
  const ln2 = 2n * atanhInv(3n);
  const pio2 = pi / 2n;
  const PIO2_1 = round(pio2, 33);
  const r1 = pio2 - fixed(PIO2_1);
  const PIO2_2 = round(r1, 33);
  const PIO2_2T = round(r1 - fixed(PIO2_2), 53);
  const INV_PIO2 = round((ONE * ONE) / pio2, 53);
  const LN2_HI = round(ln2, 32);
  const LN2_LO = round(ln2 - fixed(LN2_HI), 53);
  const INV_LN2 = round((ONE * ONE) / ln2, 53);
  return { INV_PIO2, PIO2_1, PIO2_2, PIO2_2T, LN2_HI, LN2_LO, INV_LN2 };
}

module.exports = { constants };

if (require.main === module) {
  for (const [k, v] of Object.entries(constants())) console.log(`${k} = ${v.toPrecision(21)}`);
}
