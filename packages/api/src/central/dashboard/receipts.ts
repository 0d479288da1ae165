import { AppError } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";
import { ZShiftSnapshot } from "./cash/shift-snapshot.ts";
import { ofdConfirmedAt } from "./ofd-lineage.ts";
import { afterCursor, decodeReceiptCursor, encodeReceiptCursor } from "./receipt-cursor.ts";
import { readItems, readPayments } from "./receipt-lines.ts";
import type { TReceiptDetail, TReceiptStatus, TReceiptSummary } from "./receipt-view.types.ts";
import type { DashboardScope } from "./scope.ts";
import { scopeWhere } from "./scope.ts";

export interface ReceiptFilter {
  storeId?: string | undefined;
  terminalId?: string | undefined;
  status?: TReceiptStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  fdNumber?: number | undefined;
  /** One shift of `terminalId` (see shiftWindow). */
  shiftId?: string | undefined;
}

/** A shift as the receipts filter uses it: its till's receipts accepted inside [openedAt, closedAt]. */
interface ShiftWindow {
  id: string;
  number: number;
  openedAt: Date;
  closedAt: Date | null;
}

/**
 * The shift's window from its synced snapshot (terminal_records, kind "shift"), looked up only in
 * the user's organizations; NOT_FOUND when the till has no such shift (or it is stored unreadably).
 * Receipts in it are those accepted between its opening and its close — cash reconciliation's rule.
 */
async function shiftWindow(
  db: CentralDatabase,
  scope: DashboardScope,
  terminalId: string,
  shiftId: string,
): Promise<ShiftWindow> {
  const rows = await db.sql.query<{ data: unknown }>(
    `SELECT data FROM terminal_records
     WHERE organization_id = ANY($1::text[]) AND terminal_id = $2 AND kind = 'shift' AND id = $3`,
    [scope.memberships.map((m) => m.organizationId), terminalId, shiftId],
  );
  const snapshot = rows[0] ? ZShiftSnapshot.safeParse(rows[0].data) : undefined;
  if (!snapshot?.success) {
    throw new AppError("NOT_FOUND", {
      message: `Shift ${shiftId} of terminal ${terminalId} was not found in your organization: pick it from the cash page.`,
    });
  }
  const { number, openedAt, closedAt } = snapshot.data;
  return {
    id: shiftId,
    number,
    openedAt: new Date(openedAt),
    closedAt: closedAt ? new Date(closedAt) : null,
  };
}

/**
 * A shift's receipts by the cash page's rule (dashboard/cash): those naming it (receipts.shift_id,
 * its index), plus those naming no shift (older agents) accepted between its opening and close —
 * not every receipt in its time window, which a clock step or the second one shift closed and the
 * next opened get wrong.
 */
function shiftWhere(shift: ShiftWindow) {
  return {
    OR: [
      { shiftId: shift.id },
      {
        shiftId: null,
        acceptedAt: { gte: shift.openedAt, ...(shift.closedAt ? { lte: shift.closedAt } : {}) },
      },
    ],
  };
}

const summarySelect = {
  organizationId: true,
  terminalId: true,
  storeId: true,
  id: true,
  kind: true,
  total: true,
  cashierName: true,
  fdNumber: true,
  fiscalSign: true,
  acceptedAt: true,
  fiscalizedAt: true,
  receivedAt: true,
  attentionCode: true,
  attentionMessage: true,
  attentionAt: true,
  voidedAt: true,
  voidedBy: true,
  voidReason: true,
  terminal: { select: { name: true, store: { select: { name: true, timezone: true } } } },
} as const;

type SummaryRow = {
  organizationId: string;
  terminalId: string;
  storeId: string;
  id: string;
  kind: "sale" | "refund";
  total: bigint;
  cashierName: string;
  fdNumber: number | null;
  fiscalSign: string | null;
  acceptedAt: Date;
  fiscalizedAt: Date | null;
  receivedAt: Date;
  attentionCode: string | null;
  attentionMessage: string | null;
  attentionAt: Date | null;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
  terminal: { name: string; store: { name: string; timezone: string } };
};

function statusOf(row: SummaryRow): TReceiptStatus {
  if (row.fdNumber !== null) return "fiscalized";
  if (row.voidedAt !== null) return "voided";
  if (row.attentionAt !== null) return "needs_attention";
  return "accepted";
}

function toSummary({
  terminal,
  attentionCode,
  attentionMessage,
  attentionAt,
  voidedAt,
  voidedBy,
  voidReason,
  ...row
}: SummaryRow): TReceiptSummary {
  const full = {
    ...row,
    terminal,
    attentionCode,
    attentionMessage,
    attentionAt,
    voidedAt,
    voidedBy,
    voidReason,
  };
  return {
    ...row,
    terminalName: terminal.name,
    storeName: terminal.store.name,
    timezone: terminal.store.timezone,
    status: statusOf(full),
    attention:
      attentionAt !== null
        ? { code: attentionCode ?? "", message: attentionMessage ?? "", at: attentionAt }
        : null,
    voided: voidedAt !== null ? { at: voidedAt, by: voidedBy ?? "", reason: voidReason ?? "" } : null,
  };
}

/** The stored columns each status means (statusOf above, as a filter). */
const STATUS_WHERE: Record<TReceiptStatus, object> = {
  fiscalized: { fdNumber: { not: null } },
  accepted: { fdNumber: null, attentionAt: null, voidedAt: null },
  needs_attention: { fdNumber: null, attentionAt: { not: null }, voidedAt: null },
  voided: { fdNumber: null, voidedAt: { not: null } },
};

function filterWhere(filter: ReceiptFilter) {
  return {
    ...(filter.storeId ? { storeId: filter.storeId } : {}),
    ...(filter.terminalId ? { terminalId: filter.terminalId } : {}),
    ...(filter.status ? STATUS_WHERE[filter.status] : {}),
    ...(filter.fdNumber !== undefined ? { fdNumber: filter.fdNumber } : {}),
    ...(filter.from || filter.to
      ? {
          acceptedAt: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
  };
}

/** One page of the user's receipts, newest first, with a cursor to the next page. */
export async function listReceipts(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: ReceiptFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ receipts: TReceiptSummary[]; nextCursor: string | null; shift: ShiftWindow | null }> {
  const cursor = page.cursor ? decodeReceiptCursor(page.cursor) : undefined;
  const shift =
    filter.shiftId && filter.terminalId
      ? await shiftWindow(db, scope, filter.terminalId, filter.shiftId)
      : null;
  const rows = await db.prisma.receipt.findMany({
    where: {
      AND: [
        scopeWhere(scope),
        filterWhere(filter),
        shift ? shiftWhere(shift) : {},
        cursor ? afterCursor(cursor) : {},
      ],
    },
    select: summarySelect,
    orderBy: [{ acceptedAt: "desc" }, { terminalId: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const receipts = rows.slice(0, page.limit).map(toSummary);
  const last = receipts.at(-1);
  const nextCursor = rows.length > page.limit && last ? encodeReceiptCursor(last) : null;
  return { receipts, nextCursor, shift };
}

/** One receipt with its lines and lineage; NOT_FOUND when missing or outside the user's scope. */
export async function getReceipt(
  db: CentralDatabase,
  scope: DashboardScope,
  key: { terminalId: string; receiptId: string },
): Promise<TReceiptDetail> {
  const row = await db.prisma.receipt.findFirst({
    where: { AND: [scopeWhere(scope), { terminalId: key.terminalId, id: key.receiptId }] },
    select: {
      ...summarySelect,
      idempotencyKey: true,
      hlc: true,
      seq: true,
      taxSystem: true,
      cashierInn: true,
      cashTotal: true,
      change: true,
      fnNumber: true,
      shiftNumber: true,
      items: true,
      payments: true,
    },
  });
  if (!row) {
    throw new AppError("NOT_FOUND", {
      message: `Receipt ${key.receiptId} of terminal ${key.terminalId} was not found in your organization: it may not have synced yet.`,
    });
  }
  const backlog = await db.prisma.terminalSyncState.findUnique({
    where: { organizationId_terminalId: { organizationId: row.organizationId, terminalId: key.terminalId } },
    select: { ofdUnsentCount: true, ofdOldestUnsentAt: true, ofdMeasuredAt: true },
  });
  const { items, payments, terminal, ...fields } = row;
  const view = toSummary({ ...fields, terminal });
  return {
    ...fields,
    ...view,
    items: readItems(items),
    payments: readPayments(payments),
    lineage: {
      acceptedAt: view.acceptedAt,
      fiscalizedAt: view.fiscalizedAt,
      receivedCentrallyAt: view.receivedAt,
      ofdConfirmedAt: ofdConfirmedAt(view.fiscalizedAt, backlog),
      ofdBacklog:
        backlog?.ofdMeasuredAt && backlog.ofdUnsentCount !== null
          ? {
              unsentCount: backlog.ofdUnsentCount,
              oldestUnsentAt: backlog.ofdOldestUnsentAt,
              measuredAt: backlog.ofdMeasuredAt,
            }
          : null,
    },
  };
}
