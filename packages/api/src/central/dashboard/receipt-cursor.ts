import { AppError } from "../../errors.ts";

/**
 * Keyset cursor for the receipts list, ordered newest first by (accepted_at, terminal_id, id).
 * Terminal ids are unique fleet-wide, so the triple is unique and no page repeats or skips a row
 * when new receipts arrive between pages (OFFSET would).
 */
export interface ReceiptCursor {
  acceptedAt: Date;
  terminalId: string;
  id: string;
}

export function encodeReceiptCursor(cursor: ReceiptCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.acceptedAt.toISOString(), cursor.terminalId, cursor.id]),
  ).toString("base64url");
}

export function decodeReceiptCursor(text: string): ReceiptCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string")) {
      const [at, terminalId, id] = value as [string, string, string];
      const acceptedAt = new Date(at);
      if (!Number.isNaN(acceptedAt.getTime())) return { acceptedAt, terminalId, id };
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError("VALIDATION_FAILED", {
    message: "The page cursor is not valid: reload the receipts list from the first page.",
    fieldErrors: { cursor: ["Not a cursor returned by dashboard.receipts.list."] },
  });
}

/** Prisma `where` for rows strictly after `cursor` in (accepted_at, terminal_id, id) DESC order. */
export function afterCursor(cursor: ReceiptCursor) {
  const { acceptedAt, terminalId, id } = cursor;
  return {
    // Redundant with the OR below, but a plain range the planner can drive the accepted_at index with.
    acceptedAt: { lte: acceptedAt },
    OR: [
      { acceptedAt: { lt: acceptedAt } },
      { acceptedAt, terminalId: { lt: terminalId } },
      { acceptedAt, terminalId, id: { lt: id } },
    ],
  };
}
