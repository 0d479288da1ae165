import type { CentralDatabase } from "../context.ts";

/**
 * A fiscal document without OFD confirmation for 30 days makes the FN stop issuing documents
 * (docs/fiscal-reference.md, "30-day rule"). The fleet shows the days left against it.
 */
export const FN_OFD_LIMIT_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TerminalHealth {
  dlqPending: number;
  /** Receipts the till's KKT refused for their content, not yet voided by support. */
  receiptsNeedingAttention: number;
  breakers: { destination: string; state: string; since: Date; cause: string }[];
  fn: {
    unsentCount: number | null;
    oldestUnsentAt: Date | null;
    daysLeft: number | null;
    measuredAt: Date | null;
  };
}

const EMPTY: TerminalHealth = {
  dlqPending: 0,
  receiptsNeedingAttention: 0,
  breakers: [],
  fn: { unsentCount: null, oldestUnsentAt: null, daysLeft: null, measuredAt: null },
};

/**
 * DLQ backlog, breaker states and FN backlog for terminals already filtered by the user's scope
 * (terminal ids are unique fleet-wide, so the id list carries the tenancy decision).
 */
export async function terminalHealth(
  db: CentralDatabase,
  terminals: { organizationId: string; id: string }[],
  now: Date,
): Promise<Map<string, TerminalHealth>> {
  const health = new Map<string, TerminalHealth>();
  if (terminals.length === 0) return health;
  const where = {
    organizationId: { in: [...new Set(terminals.map((t) => t.organizationId))] },
    terminalId: { in: terminals.map((t) => t.id) },
  };
  const [dlq, breakers, sync, attention] = await Promise.all([
    db.prisma.dlqItem.groupBy({
      by: ["terminalId"],
      where: { ...where, status: "pending" },
      _count: { _all: true },
    }),
    // Latest transition per (terminal, destination): DISTINCT ON the pair, newest first.
    db.prisma.breakerTransition.findMany({
      where,
      distinct: ["terminalId", "destination"],
      orderBy: [{ terminalId: "asc" }, { destination: "asc" }, { at: "desc" }],
      select: { terminalId: true, destination: true, toState: true, at: true, cause: true },
    }),
    db.prisma.terminalSyncState.findMany({
      where,
      select: { terminalId: true, ofdUnsentCount: true, ofdOldestUnsentAt: true, ofdMeasuredAt: true },
    }),
    // Served by the partial index on (organization_id, terminal_id, attention_at): only refused receipts.
    db.prisma.receipt.groupBy({
      by: ["terminalId"],
      where: { ...where, attentionAt: { not: null }, voidedAt: null, fdNumber: null },
      _count: { _all: true },
    }),
  ]);
  const entry = (terminalId: string) => {
    let value = health.get(terminalId);
    if (!value) {
      value = { ...EMPTY, breakers: [], fn: { ...EMPTY.fn } };
      health.set(terminalId, value);
    }
    return value;
  };
  for (const row of dlq) entry(row.terminalId).dlqPending = row._count._all;
  for (const row of attention) entry(row.terminalId).receiptsNeedingAttention = row._count._all;
  for (const row of breakers) {
    entry(row.terminalId).breakers.push({
      destination: row.destination,
      state: row.toState,
      since: row.at,
      cause: row.cause,
    });
  }
  for (const row of sync) {
    const oldest = row.ofdOldestUnsentAt;
    entry(row.terminalId).fn = {
      unsentCount: row.ofdUnsentCount,
      oldestUnsentAt: oldest,
      daysLeft: oldest ? FN_OFD_LIMIT_DAYS - Math.floor((now.getTime() - oldest.getTime()) / DAY_MS) : null,
      measuredAt: row.ofdMeasuredAt,
    };
  }
  return health;
}

export function healthOf(health: Map<string, TerminalHealth>, terminalId: string): TerminalHealth {
  return health.get(terminalId) ?? { ...EMPTY, breakers: [], fn: { ...EMPTY.fn } };
}
