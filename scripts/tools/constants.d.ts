/** The wasm kernels' Cody-Waite constants, derived in BigInt (constants.js). */
export function constants(): Record<'INV_PIO2' | 'PIO2_1' | 'PIO2_2' | 'PIO2_2T' | 'LN2_HI' | 'LN2_LO' | 'INV_LN2', number>;
