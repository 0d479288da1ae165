import { permitted } from "../permissions.ts";
import { listAuditLog } from "./audit-log.ts";
import { ZListAuditLogInput, ZListAuditLogOutput } from "./audit-log.types.ts";

export const listAuditLogProcedure = permitted("audit.view")
  .input(ZListAuditLogInput)
  .output(ZListAuditLogOutput)
  .query(({ ctx, input }) => listAuditLog(ctx.db, ctx.scope, input));
