import { AppError } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";
import { healthOf, type TerminalHealth, terminalHealth } from "./fleet-health.ts";
import { type DashboardScope, scopeWhere } from "./scope.ts";
import type { TTerminalView } from "./terminal-view.types.ts";

/**
 * A terminal counts as online when it synced within this window: 2 minutes, a few sync intervals
 * of an idle agent, so one missed sync does not flap the badge.
 */
export const ONLINE_WINDOW_MS = 2 * 60 * 1000;

const terminalSelect = {
  id: true,
  organizationId: true,
  name: true,
  status: true,
  lastSyncAt: true,
  clockSkewMs: true,
  store: { select: { id: true, name: true, timezone: true } },
} as const;

async function receiptStats(db: CentralDatabase, where: object) {
  const groups = await db.prisma.receipt.groupBy({
    by: ["organizationId", "terminalId"],
    where,
    _count: { _all: true },
    _max: { acceptedAt: true },
  });
  return new Map(groups.map((g) => [`${g.organizationId}/${g.terminalId}`, g]));
}

type TerminalRow = {
  id: string;
  organizationId: string;
  name: string;
  status: "active" | "retired";
  lastSyncAt: Date | null;
  clockSkewMs: number | null;
  store: { id: string; name: string; timezone: string };
};

function toView(
  row: TerminalRow,
  stats: { _count: { _all: number }; _max: { acceptedAt: Date | null } } | undefined,
  health: TerminalHealth,
  now: Date,
): TTerminalView {
  const online = row.lastSyncAt !== null && now.getTime() - row.lastSyncAt.getTime() <= ONLINE_WINDOW_MS;
  const troubled =
    health.receiptsNeedingAttention > 0 ||
    health.dlqPending > 0 ||
    health.breakers.some((b) => b.state !== "closed");
  return {
    ...row,
    ...health,
    online,
    health: !online ? "offline" : troubled ? "attention" : "ok",
    receiptsCount: stats?._count._all ?? 0,
    lastReceiptAt: stats?._max.acceptedAt ?? null,
  };
}

/** Every terminal the user may see, with delivery figures, ordered by store then name. */
export async function listFleet(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: { storeId?: string | undefined },
  now: Date,
): Promise<TTerminalView[]> {
  const where = { AND: [scopeWhere(scope), filter.storeId ? { storeId: filter.storeId } : {}] };
  const [rows, stats] = await Promise.all([
    db.prisma.terminal.findMany({
      where,
      select: terminalSelect,
      orderBy: [{ organizationId: "asc" }, { storeId: "asc" }, { name: "asc" }, { id: "asc" }],
    }),
    receiptStats(db, where),
  ]);
  const health = await terminalHealth(db, rows, now);
  return rows.map((row) =>
    toView(row, stats.get(`${row.organizationId}/${row.id}`), healthOf(health, row.id), now),
  );
}

/** One terminal, or NOT_FOUND when it does not exist or is outside the user's scope. */
export async function getTerminal(
  db: CentralDatabase,
  scope: DashboardScope,
  terminalId: string,
  now: Date,
): Promise<TTerminalView> {
  const where = { AND: [scopeWhere(scope), { id: terminalId }] };
  const row = await db.prisma.terminal.findFirst({ where, select: terminalSelect });
  if (!row) {
    throw new AppError("NOT_FOUND", {
      message: `Terminal ${terminalId} was not found in your organization: check the link or pick it from the fleet page.`,
    });
  }
  const [stats, health] = await Promise.all([
    receiptStats(db, { AND: [scopeWhere(scope), { terminalId }] }),
    terminalHealth(db, [row], now),
  ]);
  return toView(row, stats.get(`${row.organizationId}/${row.id}`), healthOf(health, row.id), now);
}
