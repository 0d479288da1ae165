import { hashPassword } from "@kassa/db/central";
import { AppError } from "../../errors.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface CashierOut {
  id: string;
  login: string;
  name: string;
  inn: string | null;
  pinHash: string;
}

/**
 * The cashiers a till may sign in: active, of its organization, for every store or its own.
 * `version` changes whenever any of them does (or one is removed), so a till that is up to date
 * downloads nothing.
 */
export async function cashiersForTerminal(
  sql: SqlRunner,
  terminal: TerminalScope,
  since: string | null,
): Promise<{ version: string; cashiers: CashierOut[] | null }> {
  const stamp = await sql.query<{ updated: Date | null; n: bigint }>(
    `SELECT max(updated_at) AS updated, count(*) AS n FROM cashiers
     WHERE organization_id = $1 AND (cardinality(store_ids) = 0 OR $2 = ANY(store_ids))`,
    [terminal.organizationId, terminal.storeId],
  );
  const version = `${stamp[0]?.updated ? new Date(stamp[0].updated).getTime() : 0}:${stamp[0]?.n ?? 0}`;
  if (since === version) return { version, cashiers: null };
  const rows = await sql.query<{
    id: string;
    login: string;
    name: string;
    inn: string | null;
    pin_hash: string;
  }>(
    `SELECT id, login, name, inn, pin_hash FROM cashiers
     WHERE organization_id = $1 AND active AND (cardinality(store_ids) = 0 OR $2 = ANY(store_ids))
     ORDER BY login`,
    [terminal.organizationId, terminal.storeId],
  );
  return {
    version,
    cashiers: rows.map((r) => ({ id: r.id, login: r.login, name: r.name, inn: r.inn, pinHash: r.pin_hash })),
  };
}

export interface UpsertCashierInput {
  organizationId: string;
  id: string;
  login: string;
  name: string;
  inn?: string | null;
  /** 4-8 digits; hashed here, never stored. Omit to keep the current PIN. */
  pin?: string;
  storeIds?: string[];
  active?: boolean;
}

/** Creates or changes a cashier (dashboard admin); the tills pick it up on their next sync. */
export async function upsertCashier(sql: SqlRunner, input: UpsertCashierInput, now: Date): Promise<void> {
  if (input.pin !== undefined && !/^\d{4,8}$/.test(input.pin)) {
    throw new AppError("VALIDATION_FAILED", {
      message: "A cashier's PIN is 4-8 digits.",
      fieldErrors: { pin: ["must be 4-8 digits"] },
    });
  }
  const fields = [
    input.organizationId,
    input.id,
    input.storeIds ?? [],
    input.login,
    input.name,
    input.inn ?? null,
    input.active ?? true,
    now,
  ];
  if (input.pin !== undefined) {
    await sql.query(
      `INSERT INTO cashiers (organization_id, id, store_ids, login, name, inn, active, updated_at, pin_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (organization_id, id) DO UPDATE SET store_ids = EXCLUDED.store_ids, login = EXCLUDED.login,
         name = EXCLUDED.name, inn = EXCLUDED.inn, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at,
         pin_hash = EXCLUDED.pin_hash`,
      [...fields, await hashPassword(input.pin)],
    );
    return;
  }
  // Without a PIN only an existing cashier changes: a new one would be stored unable to sign in.
  const rows = await sql.query(
    `UPDATE cashiers SET store_ids = $3, login = $4, name = $5, inn = $6, active = $7, updated_at = $8
     WHERE organization_id = $1 AND id = $2 RETURNING id`,
    fields,
  );
  if (rows.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Cashier ${input.login} is new: set a PIN for them.`,
      fieldErrors: { pin: ["required for a new cashier"] },
    });
  }
}
