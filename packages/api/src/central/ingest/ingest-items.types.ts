import { z } from "zod";
import {
  checkReceiptFigures,
  MAX_RECEIPT_LINES,
  ZReceiptItem,
  ZReceiptKind,
  ZReceiptPayments,
  ZTaxSystem,
} from "../../agent/receipts/create-receipt.types.ts";
import { ZCashierByName, ZIdempotencyKey } from "../../agent/schemas.ts";
import { ZMoney, ZStoredText } from "../../content.ts";

/**
 * The items an agent delivers to the central server, one schema per outbox kind. Money is an
 * integer in minor units carried as a JSON number (safe up to 2^53 kopecks); times are ISO-8601
 * strings. Plain JSON keeps superjson from adding per-field metadata, which would cost bytes on
 * a till's uplink (target: ≤ 150 bytes per receipt compressed).
 */

const ZId = z.string().min(1).max(64);
/** The agent's HLC: "<wall ms, 13 digits>.<counter, 5 digits>", sortable as a string. */
export const ZHlc = z.string().regex(/^\d{13}\.\d{5}$/, "must be an HLC like 1763798400000.00001");
const ZIsoTime = z.iso.datetime({ offset: true });

export const ZFiscalAttributes = z.object({
  fdNumber: z.number().int().nonnegative(),
  fiscalSign: z.string().min(1).max(32),
  fnNumber: z.string().min(1).max(32),
  shiftNumber: z.number().int().nonnegative(),
  dateTime: ZIsoTime,
});
export type TFiscalAttributes = z.infer<typeof ZFiscalAttributes>;

/**
 * A receipt line as the till sends it: the agent's own item schema (the content contract). The wire
 * leaves out the line sum (`lineSum(price, quantity)`) and the fields at their defaults, and they stay
 * out of the stored JSON (and of the body hash) rather than being filled in here.
 */
export const ZReceiptLine = ZReceiptItem.extend({
  unit: ZReceiptItem.shape.unit.unwrap().optional(),
  subject: ZReceiptItem.shape.subject.unwrap().optional(),
  paymentMethod: ZReceiptItem.shape.paymentMethod.unwrap().optional(),
  sum: ZMoney.optional(),
});

export const ZReceiptData = z
  .object({
    idempotencyKey: ZIdempotencyKey,
    seq: z.number().int().nonnegative(),
    kind: ZReceiptKind,
    taxSystem: ZTaxSystem,
    cashier: ZCashierByName,
    items: z.array(ZReceiptLine).min(1).max(MAX_RECEIPT_LINES),
    payments: ZReceiptPayments,
    total: ZMoney,
    change: ZMoney,
    acceptedAt: ZIsoTime,
    /**
     * The shift the till accepted it in: cash reconciliation counts it there. Optional, so agents
     * from before it still deliver (their receipts are matched to a shift by accept time).
     */
    shiftId: ZId.optional(),
    fiscal: ZFiscalAttributes.optional(),
  })
  // The till's arithmetic is checked again here, by the same rules as at accept: a receipt whose
  // figures do not add up is rejected with a reason instead of entering cash reconciliation.
  .superRefine((receipt, ctx) => {
    const total = checkReceiptFigures(receipt, ctx);
    if (total !== receipt.total) {
      ctx.addIssue({ code: "custom", path: ["total"], message: `must be the sum of the items (${total})` });
    }
    const paid = receipt.payments.reduce((sum, p) => sum + p.amount, 0);
    const cash = receipt.payments.reduce((sum, p) => sum + (p.type === "cash" ? p.amount : 0), 0);
    if (paid - receipt.total !== receipt.change || receipt.change > cash) {
      ctx.addIssue({
        code: "custom",
        path: ["change"],
        message: "must be the payments minus the total, and only cash gives change",
      });
    }
  });
export type TReceiptData = z.infer<typeof ZReceiptData>;

/** Everything a till records besides receipts (shifts, cash, RUM, device events …): stored as-is. */
const ZRecordData = z.record(z.string(), z.unknown());

/** Longest DLQ mirror payload (base64 characters): a 1,000-line receipt is well under it. */
export const MAX_DLQ_PAYLOAD_BASE64 = 4 * 1024 * 1024;

export const ZDlqData = z.object({
  destination: z.string().min(1).max(32),
  itemKind: z.string().min(1).max(64),
  /** The item's own id, whole (the mirror's id may be a hash of it: see the agent's dlqId). */
  itemId: z.string().min(1).max(512),
  /** pending = waiting for support; retried / discarded after a command was applied. */
  status: z.enum(["pending", "retried", "discarded"]),
  reason: z.string().max(2000),
  fingerprint: z.string().max(128),
  attempts: z.number().int().nonnegative(),
  errors: z.array(z.object({ at: ZIsoTime, message: z.string().max(2000) })).max(50),
  /**
   * The dead item's payload exactly as the till stored it (UTF-8 bytes, base64): bytes, because
   * the mirror must be storable whatever broke the item (U+0000, lone surrogates, odd numbers).
   */
  payloadBase64: z.base64().max(MAX_DLQ_PAYLOAD_BASE64).optional(),
  /** Agents before payloadBase64 sent the parsed payload; stored as its JSON text, as bytes too. */
  payload: z.unknown().optional(),
  discardReason: z.string().max(2000).optional(),
});
export type TDlqData = z.infer<typeof ZDlqData>;

export const ZBreakerTransitionData = z.object({
  destination: z.string().min(1).max(32),
  at: ZIsoTime,
  from: z.enum(["closed", "open", "half_open", "isolated"]),
  to: z.enum(["closed", "open", "half_open", "isolated"]),
  cause: z.string().max(2000),
  failures: z.number().int().nonnegative(),
});
export type TBreakerTransitionData = z.infer<typeof ZBreakerTransitionData>;

export const ZCommandAckData = z.object({
  commandId: ZId,
  outcome: z.enum(["applied", "not_found"]),
  appliedAt: ZIsoTime,
});

export const ZOfdStatusData = z.object({
  unsentCount: z.number().int().nonnegative(),
  oldestUnsentAt: ZIsoTime.nullable(),
  measuredAt: ZIsoTime,
});

/**
 * The till's register refused a receipt for its content (item id = receipt id): it will not print
 * and waits for support on the till. Texts are the register's / support's words, stored as-is.
 */
export const ZReceiptAttentionData = z.object({
  reason: z.object({ kassaCode: z.string().regex(/^[A-Z0-9_]{1,64}$/), message: ZStoredText(2000) }),
  at: ZIsoTime,
});
export type TReceiptAttentionData = z.infer<typeof ZReceiptAttentionData>;

/** Support voided such a receipt on the till (item id = receipt id): who, why, when. No fiscal document exists. */
export const ZReceiptVoidedData = z.object({
  by: ZStoredText(128),
  reason: ZStoredText(500),
  at: ZIsoTime,
});
export type TReceiptVoidedData = z.infer<typeof ZReceiptVoidedData>;

const ZBreakerStateWire = z.enum(["closed", "open", "half_open"]);

/**
 * The till's status as it sees it, sent on every sync round (item id `terminal-status`, one pending
 * row per till replaced by the newest): what Fleet shows even for a till that sells nothing. The
 * newest HLC wins centrally; an older snapshot arriving late changes nothing.
 */
export const ZTerminalStatusData = z.object({
  /** When the till measured it (its clock). */
  measuredAt: ZIsoTime,
  /** Its last push was answered, and when its last successful central contact was. */
  online: z.boolean(),
  lastSyncAt: ZIsoTime.nullable(),
  /** Outbox items not yet delivered, and the buffer's fill against its capacity. */
  pending: z.number().int().nonnegative(),
  bufferCapacity: z.number().int().nonnegative(),
  bufferFillPercent: z.number().min(0).max(1000),
  /** Entries in the till's own DLQ waiting for support. */
  dlqPending: z.number().int().nonnegative(),
  breakers: z.object({ central: ZBreakerStateWire, ofd: ZBreakerStateWire }),
  device: z.object({
    connected: z.boolean(),
    mode: z.string().max(32),
    paper: z.boolean(),
    shiftOpen: z.boolean(),
    /** The open shift's 24 h deadline. */
    shiftExpiresAt: ZIsoTime.nullable(),
  }),
  receipts: z.object({
    waitingForDevice: z.number().int().nonnegative(),
    /** Why they wait (the cashier's words), while they do. */
    waitingReason: z
      .object({ kassaCode: z.string().regex(/^[A-Z0-9_]{1,64}$/), message: ZStoredText(2000) })
      .nullable(),
    needsAttention: z.number().int().nonnegative(),
  }),
  /** The FN's documents not yet confirmed by the OFD (null when the register did not answer). */
  fn: z.object({
    unsentCount: z.number().int().nonnegative().nullable(),
    oldestUnsentAt: ZIsoTime.nullable(),
  }),
  /** The register, when known. */
  register: z.object({
    model: ZStoredText(128).nullable(),
    fnNumber: z.string().max(32).nullable(),
    firmware: ZStoredText(64).nullable(),
    /** The register family (which protocol drives it); absent from agents before it was sent. */
    family: z.enum(["shtrih", "atol"]).optional(),
  }),
  clockSkewMs: z.number().int().nullable(),
});
export type TTerminalStatusData = z.infer<typeof ZTerminalStatusData>;

/**
 * A correction receipt (FFD 1.2, type 31) as the till accepted it (item id = correction id), its
 * fiscal attributes following as `correction_fiscalized` (item id = correction id), like a receipt.
 *
 * Stored in `terminal_records` (kinds `correction`, `correction_fiscalized`), not in `receipts`:
 * a receipt row carries the till's receipt seq (cash reconciliation checks the sequence for holes:
 * a correction has none), a sale's arithmetic (change, ReceiptKind sale | refund) and the
 * receipts' idempotency key space, none of which a correction shares; and a record is immutable by
 * body hash, so a redelivered correction or fiscalization is a duplicate, other attributes for the
 * same correction a RECORD_CONFLICT (one correction, one fiscal document), in either arrival order.
 * Cash reconciliation counts a fiscalized correction's cash in its shift (dashboard/cash).
 */
export const ZCorrectionData = z
  .object({
    /** The corrected settlement's sign (1054): income and expense return bring cash in. */
    kind: z.enum(["income", "income_return", "expense", "expense_return"]),
    correctionType: z.enum(["self", "instruction"]),
    basis: z.object({ date: z.iso.date(), documentNumber: ZStoredText(32).optional() }),
    taxSystem: ZTaxSystem,
    cashier: ZCashierByName,
    items: z.array(ZReceiptLine).min(1).max(MAX_RECEIPT_LINES),
    payments: z.object({ cash: ZMoney, electronic: ZMoney }),
    total: ZMoney,
    shiftId: ZId,
    acceptedAt: ZIsoTime,
  })
  .superRefine((c, ctx) => {
    const total = c.items.reduce((sum, i) => sum + (i.sum ?? 0), 0);
    if (c.items.every((i) => i.sum !== undefined) && total !== c.total) {
      ctx.addIssue({ code: "custom", path: ["total"], message: `must be the sum of the items (${total})` });
    }
    if (c.payments.cash + c.payments.electronic < c.total) {
      ctx.addIssue({ code: "custom", path: ["payments"], message: "must cover the total" });
    }
  });
export type TCorrectionData = z.infer<typeof ZCorrectionData>;

/** Kinds stored in `terminal_records` as JSON (the dashboard reads them by kind). */
export const RECORD_KINDS = ["shift", "cash_movement", "rum", "device_event"] as const;

export const ZIngestItem = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("receipt"), id: ZId, hlc: ZHlc, data: ZReceiptData }),
  z.object({ kind: z.literal("receipt_fiscalized"), id: ZId, hlc: ZHlc, data: ZFiscalAttributes }),
  z.object({ kind: z.literal("dlq_item"), id: ZId, hlc: ZHlc, data: ZDlqData }),
  z.object({ kind: z.literal("breaker_transition"), id: ZId, hlc: ZHlc, data: ZBreakerTransitionData }),
  z.object({ kind: z.literal("command_ack"), id: ZId, hlc: ZHlc, data: ZCommandAckData }),
  z.object({ kind: z.literal("ofd_status"), id: ZId, hlc: ZHlc, data: ZOfdStatusData }),
  z.object({ kind: z.literal("receipt_attention"), id: ZId, hlc: ZHlc, data: ZReceiptAttentionData }),
  z.object({ kind: z.literal("receipt_voided"), id: ZId, hlc: ZHlc, data: ZReceiptVoidedData }),
  z.object({ kind: z.literal("terminal_status"), id: ZId, hlc: ZHlc, data: ZTerminalStatusData }),
  z.object({ kind: z.literal("correction"), id: ZId, hlc: ZHlc, data: ZCorrectionData }),
  z.object({ kind: z.literal("correction_fiscalized"), id: ZId, hlc: ZHlc, data: ZFiscalAttributes }),
  z.object({ kind: z.enum(RECORD_KINDS), id: ZId, hlc: ZHlc, data: ZRecordData }),
]);
export type TIngestItem = z.infer<typeof ZIngestItem>;
export type TIngestItemKind = TIngestItem["kind"];
