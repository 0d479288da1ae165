import type { Prisma, PrismaClient } from "../../generated/central/client.ts";
import { newId } from "../ids.ts";
import { canonicalHash } from "./canonical-hash.ts";

type TerminalRef = { organizationId: string; id: string };

const hlcAt = (at: Date, counter = 0) =>
  `${String(at.getTime()).padStart(13, "0")}.${String(counter % 100_000).padStart(5, "0")}`;

/** The till's own cash figures at close (the agent's cashSummary), as its shift snapshot carries them. */
export interface SeedShiftCash {
  openingFloat: number;
  cashSales: number;
  cashRefunds: number;
  cashIn: number;
  cashOut: number;
  expected: number;
}

export interface SeedShiftInput {
  terminal: TerminalRef;
  id?: string;
  number?: number;
  openedAt?: Date;
  /** Set = a closed shift (its Z report printed). Default: open. */
  closedAt?: Date | null;
  cashierName?: string;
  /** Kopecks. Default 0. */
  openingFloat?: number;
  /** Kopecks counted at close; null = closed without a count. */
  countedCash?: number | null;
  openFd?: number | null;
  closeFd?: number | null;
  /** The till's figures at close; default: none (an agent that never computed them). */
  cash?: SeedShiftCash | null;
  /** The snapshot's HLC; default: its close (or opening) time, counter 0. */
  hlc?: string;
}

/**
 * A shift as the till's agent syncs it: a `terminal_records` row of kind "shift" whose data is the
 * agent's snapshot (apps/terminal-agent/src/shift/shift-service.ts, `snapshot`).
 */
export async function seedShift(prisma: PrismaClient, input: SeedShiftInput) {
  const openedAt = input.openedAt ?? new Date();
  const closedAt = input.closedAt ?? null;
  const id = input.id ?? newId(openedAt.getTime());
  const data = {
    shiftId: id,
    number: input.number ?? 1,
    status: closedAt ? "closed" : "open",
    openedAt: openedAt.toISOString(),
    expiresAt: new Date(openedAt.getTime() + 24 * 3600_000).toISOString(),
    closedAt: closedAt ? closedAt.toISOString() : null,
    cashierName: input.cashierName ?? "Ivanova A.",
    openingFloat: input.openingFloat ?? 0,
    openFd: input.openFd ?? null,
    closeFd: input.closeFd ?? null,
    countedCash: closedAt ? (input.countedCash ?? null) : null,
    expectedCash: closedAt && input.cash ? input.cash.expected : null,
    hlc: input.hlc ?? hlcAt(closedAt ?? openedAt),
    cash: input.cash ?? null,
  };
  await prisma.terminalRecord.create({
    data: {
      organizationId: input.terminal.organizationId,
      terminalId: input.terminal.id,
      kind: "shift",
      id,
      hlc: data.hlc,
      bodyHash: canonicalHash(data),
      data: data as unknown as Prisma.InputJsonValue,
    },
  });
  // Its shift's row names the stored snapshot, as ingest keeps it (api: sync/shift-cash.ts
  // NAME_SNAPSHOTS); the cash page finds a day's shifts there.
  await prisma.$executeRaw`
    INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, shift_hlc, shift_opened)
    VALUES (${input.terminal.organizationId}, ${input.terminal.id}, ${id}, ${data.hlc}, ${data.openedAt})
    ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
      shift_hlc = excluded.shift_hlc, shift_opened = excluded.shift_opened`;
  return data;
}

export interface SeedCashMovementInput {
  terminal: TerminalRef;
  shiftId: string;
  /** "in" / "out" are what the agent syncs (the float travels in the shift snapshot). */
  kind: "in" | "out";
  /** Kopecks. */
  amount: number;
  reason?: string;
  at?: Date;
}

/** A cash in/out as the till's agent syncs it (a `terminal_records` row of kind "cash_movement"). */
export async function seedCashMovement(prisma: PrismaClient, input: SeedCashMovementInput) {
  const at = input.at ?? new Date();
  const id = newId(at.getTime());
  const data = {
    id,
    shiftId: input.shiftId,
    kind: input.kind,
    amount: input.amount,
    reason: input.reason ?? (input.kind === "in" ? "change float top-up" : "collection"),
    denominations: null,
    cashierName: "Ivanova A.",
    at: at.toISOString(),
    hlc: hlcAt(at),
  };
  await prisma.terminalRecord.create({
    data: {
      organizationId: input.terminal.organizationId,
      terminalId: input.terminal.id,
      kind: "cash_movement",
      id,
      hlc: data.hlc,
      bodyHash: canonicalHash(data),
      data: data as unknown as Prisma.InputJsonValue,
    },
  });
  // Its shift's cash in/out, as ingest keeps it (api: sync/shift-cash.ts COUNT_MOVEMENTS); the cash
  // page reads the counter, not the records.
  const cashIn = BigInt(input.kind === "in" ? input.amount : 0);
  const cashOut = BigInt(input.kind === "out" ? input.amount : 0);
  await prisma.$executeRaw`
    INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, cash_in, cash_out)
    VALUES (${input.terminal.organizationId}, ${input.terminal.id}, ${input.shiftId}, ${cashIn}, ${cashOut})
    ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
      cash_in = c.cash_in + excluded.cash_in, cash_out = c.cash_out + excluded.cash_out`;
  return data;
}
