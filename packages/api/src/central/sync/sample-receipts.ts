import type { TIngestItem, TReceiptData } from "../ingest/ingest-items.types.ts";

/** A typical 3-item optician's receipt, as a till delivers it: for tests and benchmarks. */
export function sampleReceipt(n: number, base = Date.UTC(2026, 10, 22, 7, 0, 0)): TReceiptData {
  return {
    idempotencyKey: `pos-1-${String(n).padStart(6, "0")}`,
    seq: n,
    kind: "sale",
    taxSystem: "osn",
    cashier: { name: "Ivanova A." },
    items: [
      { name: "Lens Essilor 1.6", price: 450000, quantity: 2, vat: "vat20" },
      { name: "Frame Ray-Ban RB5154", price: 1290000, quantity: 1, vat: "vat20" },
      { name: "Lens cloth", price: 19900, quantity: 1, vat: "vat20" },
    ],
    payments: [{ type: "electronic", amount: 2209900 }],
    total: 2209900,
    change: 0,
    acceptedAt: new Date(base + n * 1000).toISOString(),
  };
}

export function hlcAt(ms: number, counter = 0): string {
  return `${String(ms).padStart(13, "0")}.${String(counter).padStart(5, "0")}`;
}

export function sampleReceiptItem(n: number, base?: number): Extract<TIngestItem, { kind: "receipt" }> {
  const data = sampleReceipt(n, base);
  return {
    kind: "receipt",
    id: `rcpt-${String(n).padStart(8, "0")}`,
    hlc: hlcAt(Date.parse(data.acceptedAt)),
    data,
  };
}
