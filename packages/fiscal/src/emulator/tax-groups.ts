/**
 * The device's tax table: FF46 tax-group byte → FFD tag 1199 VAT code. This is device
 * configuration (the vendor's tax table), so it is data: pass `taxGroups` to the emulator to model
 * a reprogrammed table (e.g. 22 % in row 1 from 2026).
 */
export const DEFAULT_TAX_GROUPS: Readonly<Record<number, number>> = {
  1: 1, // 20 %
  2: 2, // 10 %
  3: 5, // 0 %
  4: 6, // no VAT
  5: 3, // 20/120
  6: 4, // 10/110
};
