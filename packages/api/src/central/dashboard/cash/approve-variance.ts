import { newId } from "@kassa/db/central";
import { AppError } from "../../../errors.ts";
import { permitted } from "../permissions.ts";
import { ZApproveVarianceInput, ZApproveVarianceOutput } from "./approve-variance.types.ts";
import { oneShift } from "./one-shift.ts";

const REFUSALS: Partial<Record<string, string>> = {
  open: "The shift is still open: its cash is approved after it is closed and counted.",
  not_counted: "The shift was closed without counting the drawer: there is no variance to approve.",
  within_tolerance: "The variance is within the organization's tolerance: nothing to approve.",
  approved: "This variance is already approved.",
};

/**
 * A manager's (or owner's) approval of a variance above tolerance, with a note. The approval row is
 * the audit (who, role, when, note, the figures approved). Refused while receipts are still missing
 * centrally: the figures could change under the approval.
 */
export const approveVarianceProcedure = permitted("cash.approve")
  .input(ZApproveVarianceInput)
  .output(ZApproveVarianceOutput)
  .mutation(async ({ ctx, input }) => {
    // ctx.scope holds only the memberships allowed to approve: a support user's shifts are not found here.
    const shift = await oneShift(ctx.db, ctx.scope, input);
    const refusal = REFUSALS[shift.state];
    if (refusal) throw new AppError("CASH_NOT_APPROVABLE", { message: refusal });
    if (shift.provisional) {
      throw new AppError("CASH_NOT_APPROVABLE", {
        message:
          "Not every receipt of this shift has reached the server yet: approve once the till has synced.",
      });
    }
    const membership = ctx.scope.memberships.find((m) => m.organizationId === shift.organizationId)!;
    const key = {
      organizationId: shift.organizationId,
      terminalId: shift.terminalId,
      shiftId: shift.shiftId,
    };
    // With it, in one transaction, the shift's counters name its latest approval (the ledger reads
    // it by key). The row is locked first, so approvals of one shift take turns: each names the
    // latest it then sees, and the one committing last sees them all, whichever it is.
    await ctx.db.prisma.$transaction([
      ctx.db.prisma.$executeRaw`
        INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id)
        VALUES (${key.organizationId}, ${key.terminalId}, ${key.shiftId})
        ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET approval_id = c.approval_id`,
      ctx.db.prisma.cashApproval.create({
        data: {
          ...key,
          id: newId(ctx.now().getTime()),
          expected: shift.expected,
          counted: shift.counted!,
          variance: shift.variance!,
          tolerance: shift.tolerance,
          note: input.note,
          approvedBy: ctx.user.id,
          approvedByName: ctx.user.name,
          role: membership.role,
          approvedAt: ctx.now(),
        },
      }),
      ctx.db.prisma.$executeRaw`
        UPDATE shift_cash_counters SET approval_id = (
          SELECT a.id FROM cash_approvals a
          WHERE a.organization_id = ${key.organizationId} AND a.terminal_id = ${key.terminalId}
            AND a.shift_id = ${key.shiftId}
          ORDER BY a.approved_at DESC, a.id DESC LIMIT 1)
        WHERE organization_id = ${key.organizationId} AND terminal_id = ${key.terminalId}
          AND shift_id = ${key.shiftId}`,
    ]);
    return oneShift(ctx.db, ctx.scope, input);
  });
