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
    await ctx.db.prisma.cashApproval.create({
      data: {
        organizationId: shift.organizationId,
        terminalId: shift.terminalId,
        shiftId: shift.shiftId,
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
    });
    return oneShift(ctx.db, ctx.scope, input);
  });
