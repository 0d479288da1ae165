/**
 * @kassa/fiscal: the fiscal register behind one interface. What most callers need is here; the
 * subpaths hold the rest (`/shtrih` protocol internals, `/ffd` documents and TLV, `/emulator`,
 * `/ofd`).
 */
export * from "./device/index.ts";
export {
  createVatRateTable,
  DEFAULT_VAT_RATES,
  defaultVatRates,
  type VatRate,
  type VatRateRow,
  type VatRateTable,
} from "./ffd/vat-rates.ts";
export { receiptTagFor } from "./shtrih/receipt-tag.ts";
export {
  type OpenShtrihSerialOptions,
  openShtrihSerial,
} from "./shtrih/serial.ts";
export { ShtrihDevice, type ShtrihDeviceOptions } from "./shtrih/shtrih-device.ts";
