import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import type { ALERT_RULES } from "../../alerts/rules.ts";
import type { SqlParams } from "../dlq/dlq-sql.ts";
import type { ZAlertFilterFields } from "./list-alerts.types.ts";

export type AlertRuleName = (typeof ALERT_RULES)[number];

/** The filter fields as SQL conditions on `a` (alerts). */
export function alertFilterSql(filter: z.infer<typeof ZAlertFilterFields>, p: SqlParams): string[] {
  const where: string[] = [];
  if (filter.rule) where.push(`a.rule = ${p.add(filter.rule)}`);
  if (filter.storeId) where.push(`a.store_id = ${p.add(filter.storeId)}`);
  if (filter.terminalId) where.push(`a.terminal_id = ${p.add(filter.terminalId)}`);
  return where;
}

export function encodeAlertCursor(cursor: { firedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.firedAt.toISOString(), cursor.id])).toString("base64url");
}

export function decodeAlertCursor(text: string): { firedAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")) {
      const [at, id] = value as [string, string];
      const firedAt = new Date(at);
      if (!Number.isNaN(firedAt.getTime())) return { firedAt, id };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", {
    message: "The page cursor is not valid: reload the Alerts list from the first page.",
    fieldErrors: { cursor: ["Not a cursor this list issued."] },
  });
}
