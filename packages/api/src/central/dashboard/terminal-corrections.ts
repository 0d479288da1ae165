import type { CentralDatabase } from "@kassa/db/central";
import type { TTerminalCorrection } from "./get-terminal.types.ts";

const text = (v: unknown) => (typeof v === "string" ? v : null);
const int = (v: unknown) => (Number.isSafeInteger(v) ? (v as number) : null);

/**
 * The till's latest correction receipts (terminal_records kinds `correction` and
 * `correction_fiscalized`, see ingest/ingest-items.types.ts), newest first, each with its fiscal
 * document once that arrived. A correction without one is still printing on the till, or was refused.
 */
export async function terminalCorrections(
  db: CentralDatabase,
  key: { organizationId: string; terminalId: string },
  limit = 30,
): Promise<TTerminalCorrection[]> {
  const rows = await db.sql.query<{
    id: string;
    data: Record<string, unknown>;
    fiscal: Record<string, unknown> | null;
  }>(
    `SELECT c.id, c.data, f.data AS fiscal
     FROM terminal_records c
     LEFT JOIN terminal_records f ON f.organization_id = c.organization_id AND f.terminal_id = c.terminal_id
       AND f.kind = 'correction_fiscalized' AND f.id = c.id
     WHERE c.organization_id = $1 AND c.terminal_id = $2 AND c.kind = 'correction'
     ORDER BY c.id DESC LIMIT $3`,
    [key.organizationId, key.terminalId, limit],
  );
  return rows.map(({ id, data, fiscal }) => {
    const basis = (data.basis ?? {}) as Record<string, unknown>;
    const payments = (data.payments ?? {}) as Record<string, unknown>;
    const acceptedAt = text(data.acceptedAt);
    const fiscalizedAt = text(fiscal?.dateTime);
    return {
      id,
      kind: text(data.kind) ?? "",
      correctionType: text(data.correctionType) ?? "",
      basisDate: text(basis.date),
      basisNumber: text(basis.documentNumber),
      total: int(data.total),
      cash: int(payments.cash),
      shiftId: text(data.shiftId),
      acceptedAt: acceptedAt ? new Date(acceptedAt) : null,
      fdNumber: int(fiscal?.fdNumber),
      fnNumber: text(fiscal?.fnNumber),
      fiscalizedAt: fiscalizedAt ? new Date(fiscalizedAt) : null,
    };
  });
}
