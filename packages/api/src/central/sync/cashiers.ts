import { hashPin } from "@kassa/db/central";
import { ZCashierByName } from "../../agent/schemas.ts";
import { AppError, zodFieldErrors } from "../../errors.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface CashierOut {
  id: string;
  login: string;
  name: string;
  inn: string | null;
  pinHash: string;
}

/**
 * The cashiers a till may sign in, and so the PIN hashes it receives: active, of its organization,
 * and either of its own store or of every store (empty `store_ids`); never another store's only.
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

/**
 * A cashier's stores must be stores of their organization: the list decides which tills receive
 * the cashier's PIN hash, so a mistyped id must not silently leave them on none (or on a store
 * created later under that id).
 */
async function checkStoresOf(
  sql: SqlRunner,
  organizationId: string,
  storeIds: readonly string[],
): Promise<void> {
  if (storeIds.length === 0) return;
  const known = await sql.query<{ id: string }>(
    "SELECT id FROM stores WHERE organization_id = $1 AND id = ANY($2::text[])",
    [organizationId, storeIds],
  );
  const unknown = storeIds.filter((id) => !known.some((row) => row.id === id));
  if (unknown.length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Unknown store(s) for this organization: ${unknown.join(", ")}.`,
      fieldErrors: { storeIds: unknown.map((id) => `no store ${id} in this organization`) },
    });
  }
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
  // The name and INN are printed on every receipt the cashier sells (tags 1021, 1203): the receipt
  // content contract, so a till never prints a sale the central server then refuses.
  const printed = ZCashierByName.safeParse({
    name: input.name,
    ...(input.inn !== undefined && input.inn !== null ? { inn: input.inn } : {}),
  });
  if (!printed.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: "A cashier's name must be printable by the fiscal register and the INN 10 or 12 digits.",
      fieldErrors: zodFieldErrors(printed.error),
    });
  }
  await checkStoresOf(sql, input.organizationId, input.storeIds ?? []);
  const fields = [
    input.organizationId,
    input.id,
    input.storeIds ?? [],
    input.login,
    printed.data.name,
    printed.data.inn ?? null,
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
      [...fields, await hashPin(input.pin)],
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
