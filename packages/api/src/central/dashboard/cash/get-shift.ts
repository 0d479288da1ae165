import { permitted } from "../permissions.ts";
import { ZGetCashShiftInput, ZGetCashShiftOutput } from "./get-shift.types.ts";
import { toApproval } from "./ledger-queries.ts";
import { oneShift } from "./one-shift.ts";

const text = (v: unknown) => (typeof v === "string" ? v : null);

/** One shift's reconciliation with its approvals (the audit trail) and cash movements. */
export const getCashShiftProcedure = permitted("cash.view")
  .input(ZGetCashShiftInput)
  .output(ZGetCashShiftOutput)
  .query(async ({ ctx, input }) => {
    const shift = await oneShift(ctx.db, ctx.scope, input);
    const [approvals, movements] = await Promise.all([
      ctx.db.sql.query<Parameters<typeof toApproval>[0]>(
        `SELECT * FROM cash_approvals WHERE organization_id = $1 AND terminal_id = $2 AND shift_id = $3
         ORDER BY approved_at DESC, id DESC`,
        [shift.organizationId, shift.terminalId, shift.shiftId],
      ),
      // The amount by the rule the shift's cash in/out counts it (sync/shift-cash.ts COUNT_MOVEMENTS),
      // so a movement listed with an amount is one the figures count, and one without is not.
      ctx.db.sql.query<{ id: string; data: Record<string, unknown>; amount: bigint | string | null }>(
        `SELECT id, data, CASE WHEN data->>'amount' ~ '^[0-9]{1,15}$' THEN (data->>'amount')::bigint END AS amount
         FROM terminal_records
         WHERE organization_id = $1 AND terminal_id = $2 AND kind = 'cash_movement' AND data->>'shiftId' = $3
         ORDER BY data->>'at', id`,
        [shift.organizationId, shift.terminalId, shift.shiftId],
      ),
    ]);
    return {
      shift,
      approvals: approvals.map(toApproval),
      movements: movements.map((m) => ({
        id: m.id,
        kind: text(m.data.kind) ?? "",
        amount: m.amount === null ? null : BigInt(m.amount),
        reason: text(m.data.reason),
        at: text(m.data.at),
      })),
    };
  });
