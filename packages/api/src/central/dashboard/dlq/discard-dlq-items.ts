import { permitted } from "../permissions.ts";
import { ZDiscardDlqItemsInput, ZDiscardDlqItemsOutput } from "./discard-dlq-items.types.ts";
import { actOnDlq } from "./dlq-action.ts";
import { membershipIn } from "./dlq-sql.ts";

/** Discards DLQ items with a reason (one, a selection, a group), or counts them first with `dryRun`. Support and owners only. */
export const discardDlqItemsProcedure = permitted("dlq.act")
  .input(ZDiscardDlqItemsInput)
  .output(ZDiscardDlqItemsOutput)
  .mutation(({ ctx, input }) =>
    actOnDlq(
      ctx.db.sql,
      {
        membership: membershipIn(ctx.scope, input.organizationId),
        actor: { id: ctx.user.id, email: ctx.user.email },
        action: "discard",
        reason: input.reason,
        selection: input.selection,
        dryRun: input.dryRun,
        expectCount: input.expectCount,
      },
      ctx.now(),
    ),
  );
