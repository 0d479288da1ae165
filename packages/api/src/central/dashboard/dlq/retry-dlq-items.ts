import { permitted } from "../permissions.ts";
import { actOnDlq } from "./dlq-action.ts";
import { membershipIn } from "./dlq-sql.ts";
import { ZRetryDlqItemsInput, ZRetryDlqItemsOutput } from "./retry-dlq-items.types.ts";

/** Retries DLQ items (one, a selection, a group), or counts them first with `dryRun`. Support and owners only. */
export const retryDlqItemsProcedure = permitted("dlq.act")
  .input(ZRetryDlqItemsInput)
  .output(ZRetryDlqItemsOutput)
  .mutation(({ ctx, input }) =>
    actOnDlq(
      ctx.db.sql,
      {
        membership: membershipIn(ctx.scope, input.organizationId),
        actor: { id: ctx.user.id, email: ctx.user.email },
        action: "retry",
        selection: input.selection,
        dryRun: input.dryRun,
        expectCount: input.expectCount,
      },
      ctx.now(),
    ),
  );
