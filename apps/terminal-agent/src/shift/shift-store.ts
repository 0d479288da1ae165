import type { TCashSummary, TShiftView } from "@kassa/api/agent";
import type { BufferDb } from "../db/buffer.ts";

export const SHIFT_LIMIT_MS = 24 * 60 * 60_000;

export interface ShiftRow {
  id: string;
  number: number;
  status: "open" | "closed";
  opened_at: string;
  opened_at_ms: number;
  closed_at: string | null;
  cashier_name: string;
  cashier_inn: string | null;
  opening_float: number;
  open_fd: number | null;
  close_fd: number | null;
  close_sign: string | null;
  counted_cash: number | null;
  expected_cash: number | null;
  hlc: string;
}

export interface MovementRow {
  id: string;
  shift_id: string;
  kind: string;
  amount: number;
  reason: string | null;
  at: string;
  idempotency_key: string | null;
  body_hash: string | null;
}

/** Shift rows and the append-only cash journal, over prepared statements. */
export function prepareShiftStatements(db: BufferDb) {
  return {
    open: db.prepare<[], ShiftRow>(
      "SELECT * FROM shifts WHERE status = 'open' ORDER BY opened_at_ms DESC LIMIT 1",
    ),
    latest: db.prepare<[], ShiftRow>("SELECT * FROM shifts ORDER BY opened_at_ms DESC LIMIT 1"),
    insert: db.prepare(
      `INSERT INTO shifts (id, number, status, opened_at, opened_at_ms, cashier_name, cashier_inn, opening_float, open_fd, hlc)
       VALUES (@id, @number, 'open', @openedAt, @openedAtMs, @cashierName, @cashierInn, @openingFloat, @openFd, @hlc)`,
    ),
    close: db.prepare(
      `UPDATE shifts SET status = 'closed', closed_at = @closedAt, close_fd = @closeFd, close_sign = @closeSign,
         counted_cash = @countedCash, expected_cash = @expectedCash, hlc = @hlc WHERE id = @id`,
    ),
    byId: db.prepare<[string], ShiftRow>("SELECT * FROM shifts WHERE id = ?"),
    insertMovement: db.prepare(
      `INSERT INTO cash_movements (id, shift_id, kind, amount, reason, denominations, cashier_name, at, hlc)
       VALUES (@id, @shiftId, @kind, @amount, @reason, @denominations, @cashierName, @at, @hlc)`,
    ),
    insertKeyedMovement: db.prepare(
      `INSERT INTO cash_movements (id, shift_id, kind, amount, reason, denominations, cashier_name, at, hlc, idempotency_key, body_hash)
       VALUES (@id, @shiftId, @kind, @amount, @reason, @denominations, @cashierName, @at, @hlc, @idempotencyKey, @bodyHash)`,
    ),
    movementByKey: db.prepare<[string], MovementRow>(
      "SELECT * FROM cash_movements WHERE idempotency_key = ?",
    ),
    receiptCash: db.prepare<[string], { sales: number; refunds: number }>(
      `SELECT coalesce(sum(CASE WHEN kind = 'sale' THEN cash_net END), 0) AS sales,
              coalesce(sum(CASE WHEN kind = 'refund' THEN -cash_net END), 0) AS refunds
       FROM receipts WHERE shift_id = ?`,
    ),
    movementCash: db.prepare<[string], { float: number; cashIn: number; cashOut: number }>(
      `SELECT coalesce(sum(CASE WHEN kind = 'float' THEN amount END), 0) AS float,
              coalesce(sum(CASE WHEN kind = 'in' THEN amount END), 0) AS cashIn,
              coalesce(sum(CASE WHEN kind = 'out' THEN amount END), 0) AS cashOut
       FROM cash_movements WHERE shift_id = ?`,
    ),
    // A correction receipt's cash (paid less change) moves the drawer like a cash in (income,
    // expense return) or out; one the register refused (needs_attention) never will. The register's
    // money register 241 counts it so, and so does central reconciliation (dashboard/cash).
    correctionCash: db.prepare<[string], { cashIn: number; cashOut: number }>(
      `SELECT coalesce(sum(CASE WHEN k IN ('income', 'expense_return') THEN net END), 0) AS cashIn,
              coalesce(sum(CASE WHEN k IN ('income_return', 'expense') THEN net END), 0) AS cashOut
       FROM (SELECT json_extract(body, '$.kind') AS k,
               json_extract(body, '$.payments.cash') - min(json_extract(body, '$.payments.cash'), max(0,
                 json_extract(body, '$.payments.cash') + json_extract(body, '$.payments.electronic')
                 - (SELECT coalesce(sum(json_extract(i.value, '$.sum')), 0) FROM json_each(body, '$.items') i))) AS net
             FROM corrections WHERE shift_id = ? AND state != 'needs_attention')`,
    ),
    dropOutbox: db.prepare("DELETE FROM outbox WHERE destination = 'central' AND kind = ? AND item_id = ?"),
    insertOutbox: db.prepare(
      "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', ?, ?, ?, ?)",
    ),
  };
}

export type ShiftStatements = ReturnType<typeof prepareShiftStatements>;

/**
 * Queues a snapshot (the latest state of a shift, a cash movement) for the central server. A newer
 * snapshot replaces an undelivered one as a NEW row: the sync worker acknowledges rows by id, so a
 * row it is sending right now must not silently change under it and then be deleted as delivered.
 * Call inside the transaction that changes the state.
 */
export function queueSnapshot(
  s: ShiftStatements,
  kind: string,
  itemId: string,
  hlc: string,
  payload: unknown,
): void {
  s.dropOutbox.run(kind, itemId);
  s.insertOutbox.run(kind, itemId, hlc, JSON.stringify(payload));
}

export function cashSummary(statements: ShiftStatements, shiftId: string): TCashSummary {
  const r = statements.receiptCash.get(shiftId)!;
  const m = statements.movementCash.get(shiftId)!;
  const c = statements.correctionCash.get(shiftId)!;
  const cashIn = m.cashIn + c.cashIn;
  const cashOut = m.cashOut + c.cashOut;
  return {
    openingFloat: m.float,
    cashSales: r.sales,
    cashRefunds: r.refunds,
    cashIn,
    cashOut,
    expected: m.float + r.sales - r.refunds + cashIn - cashOut,
  };
}

export function shiftView(row: ShiftRow): TShiftView {
  return {
    shiftId: row.id,
    number: row.number,
    status: row.status,
    openedAt: row.opened_at,
    expiresAt: new Date(row.opened_at_ms + SHIFT_LIMIT_MS).toISOString(),
    closedAt: row.closed_at,
    cashierName: row.cashier_name,
    openingFloat: row.opening_float,
  };
}
