import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient, Receipt, ReceiptKind } from "../../generated/central/client.ts";
import { newId } from "../ids.ts";
import { canonicalHash } from "./canonical-hash.ts";
import { seedTerminal } from "./seed-terminal.ts";

/** One receipt line as the agent delivers it; money in kopecks. */
export interface SeedReceiptLine {
  name: string;
  price: number;
  quantity: number;
  sum: number;
  vat: string;
}

export interface SeedReceiptPayment {
  type: string;
  amount: number;
}

export interface SeedReceiptInput {
  /** The delivering terminal. Default: a new terminal (and organization and store). */
  terminal?: { organizationId: string; storeId: string; id: string };
  id?: string;
  idempotencyKey?: string;
  /** Default: one more than the terminal's highest. */
  seq?: number;
  kind?: ReceiptKind;
  taxSystem?: string;
  cashierName?: string;
  cashierInn?: string | null;
  /** Default: one coffee at 150.00 ₽. */
  items?: SeedReceiptLine[];
  /** Default: the total in cash, rounded up to the next 100 ₽ (so there is change). */
  payments?: SeedReceiptPayment[];
  acceptedAt?: Date;
  /** Give it fiscal attributes, as if the device printed it. Default: not fiscalized. */
  fiscal?: {
    fdNumber: number;
    fiscalSign: string;
    fnNumber: string;
    shiftNumber: number;
    fiscalizedAt: Date;
  };
}

export async function seedReceipt(prisma: PrismaClient, input: SeedReceiptInput = {}): Promise<Receipt> {
  const terminal = input.terminal ?? (await seedTerminal(prisma)).terminal;
  const items = input.items ?? [{ name: "Coffee", price: 15_000, quantity: 1, sum: 15_000, vat: "vat20" }];
  const total = items.reduce((sum, item) => sum + item.sum, 0);
  const payments = input.payments ?? [{ type: "cash", amount: Math.ceil(total / 10_000) * 10_000 || total }];
  const paid = payments.reduce((sum, payment) => sum + payment.amount, 0);
  const cash = payments.filter((payment) => payment.type === "cash").reduce((sum, p) => sum + p.amount, 0);
  const change = Math.max(0, Math.min(cash, paid - total));
  const acceptedAt = input.acceptedAt ?? new Date();
  const seq = input.seq ?? (await nextSeq(prisma, terminal));
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  const kind = input.kind ?? "sale";
  const taxSystem = input.taxSystem ?? "osn";
  const cashier = {
    name: input.cashierName ?? "Ivanova A.",
    ...(input.cashierInn ? { inn: input.cashierInn } : {}),
  };
  // The same fields, in the same shape, the ingest hashes.
  const body = {
    idempotencyKey,
    seq,
    kind,
    taxSystem,
    cashier,
    items,
    payments,
    total,
    change,
    acceptedAt: acceptedAt.toISOString(),
  };
  const receipt = await prisma.receipt.create({
    data: {
      organizationId: terminal.organizationId,
      terminalId: terminal.id,
      storeId: terminal.storeId,
      id: input.id ?? newId(acceptedAt.getTime()),
      idempotencyKey,
      bodyHash: canonicalHash(body),
      seq: BigInt(seq),
      hlc: `${String(acceptedAt.getTime()).padStart(13, "0")}.${String(seq % 100_000).padStart(5, "0")}`,
      kind,
      taxSystem,
      cashierName: cashier.name,
      cashierInn: input.cashierInn ?? null,
      total: BigInt(total),
      cashTotal: BigInt(cash - change),
      change: BigInt(change),
      items: items as unknown as Prisma.InputJsonValue,
      payments: payments as unknown as Prisma.InputJsonValue,
      acceptedAt,
      ...(input.fiscal ?? {}),
    },
  });
  // A printed receipt is one more stored document of its register shift, as ingest counts it
  // (api: sync/shift-cash.ts COUNT_DOCUMENTS); the cash page reads that count, not the receipts.
  if (input.fiscal) {
    const f = input.fiscal;
    await prisma.$executeRaw`
      INSERT INTO register_shift_documents AS d (organization_id, terminal_id, shift_number, fn_number, receipts,
        first_fiscalized_at, last_fiscalized_at)
      VALUES (${terminal.organizationId}, ${terminal.id}, ${f.shiftNumber}, ${f.fnNumber}, 1, ${f.fiscalizedAt}, ${f.fiscalizedAt})
      ON CONFLICT (organization_id, terminal_id, shift_number, fn_number) DO UPDATE SET
        receipts = d.receipts + 1,
        first_fiscalized_at = least(d.first_fiscalized_at, excluded.first_fiscalized_at),
        last_fiscalized_at = greatest(d.last_fiscalized_at, excluded.last_fiscalized_at)`;
  }
  return receipt;
}

async function nextSeq(
  prisma: PrismaClient,
  terminal: { organizationId: string; id: string },
): Promise<number> {
  const last = await prisma.receipt.aggregate({
    where: { organizationId: terminal.organizationId, terminalId: terminal.id },
    _max: { seq: true },
  });
  return Number(last._max.seq ?? 0n) + 1;
}
