import { AppError } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";
import type { TTerminalStatusData } from "../ingest/ingest-items.types.ts";
import { compareText } from "./compare-text.ts";
import { SqlParams, scopeSql } from "./dlq/dlq-sql.ts";
import { assessHealth, FN_OFD_LIMIT_DAYS, FN_OFD_WARN_DAYS, fnAgeDays, healthRank } from "./fleet-health.ts";
import type { TGetTerminalOutput } from "./get-terminal.types.ts";
import type { TFleetSummary } from "./list-fleet.types.ts";
import { type DashboardScope, scopeWhere } from "./scope.ts";
import type { TTerminalView } from "./terminal-view.types.ts";

/**
 * A terminal counts as online when it synced within this window: 2 minutes, a few sync intervals
 * of an idle agent, so one missed sync does not flap the badge.
 */
export const ONLINE_WINDOW_MS = 2 * 60 * 1000;
/** The terminal page's window. */
export const DETAIL_WINDOW_MS = 24 * 60 * 60 * 1000;
const DESTINATIONS = ["central", "ofd"] as const;

const terminalSelect = {
  id: true,
  organizationId: true,
  name: true,
  status: true,
  lastSyncAt: true,
  clockSkewMs: true,
  store: { select: { id: true, name: true, timezone: true } },
} as const;

type TerminalRow = {
  id: string;
  organizationId: string;
  name: string;
  status: "active" | "retired";
  lastSyncAt: Date | null;
  clockSkewMs: number | null;
  store: { id: string; name: string; timezone: string };
};

/** terminal_status as read: the till's snapshot and the counters ingest keeps. */
type LiveRow = {
  terminalId: string;
  snapshot: unknown;
  onlineSince: Date | null;
  dlqPending: number;
  receiptsAttention: number;
  breakers: unknown;
};
type OfdRow = {
  terminalId: string;
  ofdUnsentCount: number | null;
  ofdOldestUnsentAt: Date | null;
  ofdMeasuredAt: Date | null;
};
type StoredBreakers = Record<string, { state: string; since: string; cause: string } | undefined>;

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * One row per till from two small keyed tables (the status/counters and the OFD backlog): nothing
 * is counted here, ingest keeps the figures (sync/store-terminal-status.ts).
 */
async function liveState(db: CentralDatabase, terminals: readonly { organizationId: string; id: string }[]) {
  if (terminals.length === 0) return { live: new Map<string, LiveRow>(), ofd: new Map<string, OfdRow>() };
  // Terminal ids are unique fleet-wide and already filtered by scope: the id list carries tenancy.
  const where = {
    organizationId: { in: [...new Set(terminals.map((t) => t.organizationId))] },
    terminalId: { in: terminals.map((t) => t.id) },
  };
  const [live, ofd] = await Promise.all([
    db.prisma.terminalLiveStatus.findMany({
      where,
      select: {
        terminalId: true,
        snapshot: true,
        onlineSince: true,
        dlqPending: true,
        receiptsAttention: true,
        breakers: true,
      },
    }),
    db.prisma.terminalSyncState.findMany({
      where,
      select: { terminalId: true, ofdUnsentCount: true, ofdOldestUnsentAt: true, ofdMeasuredAt: true },
    }),
  ]);
  return {
    live: new Map(live.map((row) => [row.terminalId, row as LiveRow])),
    ofd: new Map(ofd.map((row) => [row.terminalId, row])),
  };
}

/** The FN backlog from whichever report is newer: the OFD relay's (`ofd_status`) or the snapshot's. */
export function fnBacklog(snapshot: TTerminalStatusData | null, ofd: OfdRow | undefined, now: Date) {
  const fromOfd =
    ofd && ofd.ofdUnsentCount !== null
      ? {
          unsentCount: ofd.ofdUnsentCount,
          oldestUnsentAt: ofd.ofdOldestUnsentAt,
          measuredAt: ofd.ofdMeasuredAt,
        }
      : null;
  const fromSnapshot =
    snapshot && snapshot.fn.unsentCount !== null
      ? {
          unsentCount: snapshot.fn.unsentCount,
          oldestUnsentAt: date(snapshot.fn.oldestUnsentAt),
          measuredAt: date(snapshot.measuredAt),
        }
      : null;
  const pick =
    fromOfd && fromSnapshot
      ? (fromOfd.measuredAt?.getTime() ?? 0) >= (fromSnapshot.measuredAt?.getTime() ?? 0)
        ? fromOfd
        : fromSnapshot
      : (fromOfd ?? fromSnapshot);
  const ageDays = fnAgeDays(pick?.oldestUnsentAt ?? null, now);
  return {
    unsentCount: pick?.unsentCount ?? null,
    oldestUnsentAt: pick?.oldestUnsentAt ?? null,
    ageDays,
    daysLeft: ageDays === null ? null : FN_OFD_LIMIT_DAYS - ageDays,
    level:
      ageDays === null
        ? null
        : ageDays >= FN_OFD_LIMIT_DAYS
          ? ("overdue" as const)
          : ageDays >= FN_OFD_WARN_DAYS
            ? ("warn" as const)
            : ("ok" as const),
    measuredAt: pick?.measuredAt ?? null,
  };
}

/** Each destination's breaker: the newest reported transition, else what the snapshot says, else closed. */
export function breakersOf(stored: StoredBreakers, snapshot: TTerminalStatusData | null) {
  const destinations = [...new Set([...DESTINATIONS, ...Object.keys(stored)])];
  return destinations.map((destination) => {
    const held = stored[destination];
    const reported = snapshot?.breakers[destination as (typeof DESTINATIONS)[number]];
    return {
      destination,
      state: held?.state ?? reported ?? "closed",
      since: date(held?.since),
      cause: held?.cause ?? null,
    };
  });
}

function tillView(
  row: TerminalRow,
  live: LiveRow | undefined,
  ofd: OfdRow | undefined,
  now: Date,
): TTerminalView {
  const online = row.lastSyncAt !== null && now.getTime() - row.lastSyncAt.getTime() <= ONLINE_WINDOW_MS;
  // Validated by ingest's schema before it was stored (ZTerminalStatusData).
  const snapshot = (live?.snapshot ?? null) as TTerminalStatusData | null;
  const breakers = breakersOf((live?.breakers ?? {}) as StoredBreakers, snapshot);
  const fn = fnBacklog(snapshot, ofd, now);
  const dlqPending = live?.dlqPending ?? 0;
  const receiptsNeedingAttention = live?.receiptsAttention ?? 0;
  const { health, reasons } = assessHealth(
    {
      online,
      snapshot,
      dlqPending,
      receiptsNeedingAttention,
      breakers,
      fnOldestUnsentAt: fn.oldestUnsentAt,
      clockSkewMs: row.clockSkewMs,
    },
    now,
  );
  return {
    ...row,
    online,
    onlineSince: online ? (live?.onlineSince ?? row.lastSyncAt) : null,
    offlineSince: online ? null : row.lastSyncAt,
    statusAt: date(snapshot?.measuredAt),
    tillSeesCentral: snapshot?.online ?? null,
    pending: snapshot?.pending ?? null,
    bufferFillPercent: snapshot?.bufferFillPercent ?? null,
    dlqPending,
    receiptsNeedingAttention,
    receiptsWaiting: snapshot?.receipts.waitingForDevice ?? null,
    waitingReason: snapshot?.receipts.waitingReason ?? null,
    device: snapshot ? { ...snapshot.device, shiftExpiresAt: date(snapshot.device.shiftExpiresAt) } : null,
    breakers,
    fn,
    register: {
      model: snapshot?.register.model ?? null,
      fnNumber: snapshot?.register.fnNumber ?? null,
      firmware: snapshot?.register.firmware ?? null,
      family: snapshot?.register.family ?? null,
    },
    health,
    reasons,
  };
}

/** Fleet order: tills needing attention first (most reasons first), then offline, then the rest. */
function byUrgency(a: TTerminalView, b: TTerminalView): number {
  return (
    healthRank(a.health) - healthRank(b.health) ||
    (a.health === "attention" ? b.reasons.length - a.reasons.length : 0) ||
    compareText(a.store.name, b.store.name) ||
    compareText(a.name, b.name) ||
    compareText(a.id, b.id)
  );
}

export function fleetSummary(tills: readonly TTerminalView[]): TFleetSummary {
  const summary: TFleetSummary = {
    tills: tills.length,
    online: 0,
    needsAttention: 0,
    receiptsWaiting: 0,
    receiptsNeedingAttention: 0,
    dlqItems: 0,
    openBreakerTills: 0,
    fnAgeWarnings: 0,
  };
  for (const t of tills) {
    if (t.online) summary.online += 1;
    if (t.health === "attention") summary.needsAttention += 1;
    summary.receiptsWaiting += t.receiptsWaiting ?? 0;
    summary.receiptsNeedingAttention += t.receiptsNeedingAttention;
    summary.dlqItems += t.dlqPending;
    if (t.breakers.some((b) => b.state !== "closed")) summary.openBreakerTills += 1;
    if (t.fn.level === "warn" || t.fn.level === "overdue") summary.fnAgeWarnings += 1;
  }
  return summary;
}

/** A Fleet row as one statement reads it: the till, its store, its status/counters and OFD backlog. */
type FleetRow = {
  id: string;
  organization_id: string;
  name: string;
  status: "active" | "retired";
  last_sync_at: Date | null;
  clock_skew_ms: number | null;
  store_id: string;
  store_name: string;
  timezone: string;
  has_status: boolean;
  snapshot: unknown;
  online_since: Date | null;
  dlq_pending: number | null;
  receipts_attention: number | null;
  breakers: unknown;
  has_ofd: boolean;
  ofd_unsent_count: number | null;
  ofd_oldest_unsent_at: Date | null;
  ofd_measured_at: Date | null;
};

/**
 * Every terminal the user may see, broken ones first, with the fleet's summary. One statement
 * (terminals ⋈ stores ⟕ terminal_status ⟕ terminal_sync_state, keyed joins): through Prisma it was
 * four round trips, two of them with 500-id IN lists, and Prisma's own row mapping — most of the
 * 60–150 ms the page took at 500 tills (the SQL itself runs in ~3 ms); tenancy is scopeSql, the
 * same rule as scopeWhere.
 */
export async function listFleet(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: { storeId?: string | undefined },
  now: Date,
): Promise<{ terminals: TTerminalView[]; summary: TFleetSummary }> {
  const p = new SqlParams();
  // A retired till (admin tills page) syncs no more: on Fleet it would only ever read "offline".
  const where = [scopeSql(scope.memberships, p, "t"), "t.status = 'active'"];
  if (filter.storeId) where.push(`t.store_id = ${p.add(filter.storeId)}`);
  const rows = await db.sql.query<FleetRow>(
    `SELECT t.id, t.organization_id, t.name, t.status, t.last_sync_at, t.clock_skew_ms,
       s.id AS store_id, s.name AS store_name, s.timezone,
       ts.terminal_id IS NOT NULL AS has_status, ts.snapshot, ts.online_since, ts.dlq_pending,
       ts.receipts_attention, ts.breakers,
       ss.terminal_id IS NOT NULL AS has_ofd, ss.ofd_unsent_count, ss.ofd_oldest_unsent_at, ss.ofd_measured_at
     FROM terminals t
     JOIN stores s ON s.organization_id = t.organization_id AND s.id = t.store_id
     LEFT JOIN terminal_status ts ON ts.organization_id = t.organization_id AND ts.terminal_id = t.id
     LEFT JOIN terminal_sync_state ss ON ss.organization_id = t.organization_id AND ss.terminal_id = t.id
     WHERE ${where.join(" AND ")}`,
    p.values,
  );
  const terminals = rows
    .map((r) =>
      tillView(
        {
          id: r.id,
          organizationId: r.organization_id,
          name: r.name,
          status: r.status,
          lastSyncAt: r.last_sync_at,
          clockSkewMs: r.clock_skew_ms,
          store: { id: r.store_id, name: r.store_name, timezone: r.timezone },
        },
        r.has_status
          ? {
              terminalId: r.id,
              snapshot: r.snapshot,
              onlineSince: r.online_since,
              dlqPending: r.dlq_pending ?? 0,
              receiptsAttention: r.receipts_attention ?? 0,
              breakers: r.breakers,
            }
          : undefined,
        r.has_ofd
          ? {
              terminalId: r.id,
              ofdUnsentCount: r.ofd_unsent_count,
              ofdOldestUnsentAt: r.ofd_oldest_unsent_at,
              ofdMeasuredAt: r.ofd_measured_at,
            }
          : undefined,
        now,
      ),
    )
    .sort(byUrgency);
  return { terminals, summary: fleetSummary(terminals) };
}

const hlcAt = (ms: number) => `${String(ms).padStart(13, "0")}.00000`;
const money = (value: unknown) =>
  typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : null;
const text = (value: unknown) => (typeof value === "string" ? value : null);

/** A `shift` record as the agent synced it (shift-service.ts snapshot), read defensively: it is JSON. */
function shiftOf(id: string, data: Record<string, unknown>): TGetTerminalOutput["shifts"][number] {
  const expected = money(data.expectedCash);
  const counted = money(data.countedCash);
  return {
    id,
    number: typeof data.number === "number" ? data.number : null,
    status: text(data.status) ?? "unknown",
    openedAt: date(text(data.openedAt)),
    expiresAt: date(text(data.expiresAt)),
    closedAt: date(text(data.closedAt)),
    cashierName: text(data.cashierName),
    openingFloat: money(data.openingFloat),
    expectedCash: expected,
    countedCash: counted,
    variance: expected !== null && counted !== null ? counted - expected : null,
  };
}

/** A history row: what the till said then, and what was wrong by the same rules as Fleet's. */
function statusChange(s: TTerminalStatusData): TGetTerminalOutput["history"][number] {
  const at = new Date(s.measuredAt);
  const { reasons } = assessHealth(
    {
      online: s.online,
      snapshot: s,
      dlqPending: s.dlqPending,
      receiptsNeedingAttention: s.receipts.needsAttention,
      breakers: DESTINATIONS.map((destination) => ({ destination, state: s.breakers[destination] })),
      fnOldestUnsentAt: date(s.fn.oldestUnsentAt),
      clockSkewMs: s.clockSkewMs,
    },
    at,
  );
  return {
    at,
    tillSeesCentral: s.online,
    connected: s.device.connected,
    paper: s.device.paper,
    mode: s.device.mode,
    shiftOpen: s.device.shiftOpen,
    receiptsWaiting: s.receipts.waitingForDevice,
    waitingReason: s.receipts.waitingReason?.message ?? null,
    receiptsNeedingAttention: s.receipts.needsAttention,
    dlqPending: s.dlqPending,
    breakers: s.breakers,
    fnUnsentCount: s.fn.unsentCount,
    bufferFillPercent: s.bufferFillPercent,
    reasons,
  };
}

/**
 * One terminal: its Fleet row, then its last 24 h (status changes, breaker transitions), its
 * shifts, DLQ items and receipt figures — each a keyed read of this one till. NOT_FOUND when it
 * does not exist or is outside the user's scope.
 */
export async function getTerminal(
  db: CentralDatabase,
  scope: DashboardScope,
  terminalId: string,
  now: Date,
): Promise<Omit<TGetTerminalOutput, "corrections">> {
  const row = await db.prisma.terminal.findFirst({
    where: { AND: [scopeWhere(scope), { id: terminalId }] },
    select: terminalSelect,
  });
  if (!row) {
    throw new AppError("NOT_FOUND", {
      message: `Terminal ${terminalId} was not found in your organization: check the link or pick it from the fleet page.`,
    });
  }
  const key = { organizationId: row.organizationId, terminalId: row.id };
  const from = new Date(now.getTime() - DETAIL_WINDOW_MS);
  const [state, receipts, before, changes, shifts, pendingDlq, settledDlq, transitions] = await Promise.all([
    liveState(db, [row]),
    db.prisma.receipt.aggregate({ where: key, _count: { _all: true }, _max: { acceptedAt: true } }),
    db.prisma.terminalStatusChange.findFirst({
      where: { ...key, hlc: { lt: hlcAt(from.getTime()) } },
      orderBy: { hlc: "desc" },
      select: { snapshot: true },
    }),
    db.prisma.terminalStatusChange.findMany({
      where: { ...key, hlc: { gte: hlcAt(from.getTime()) } },
      orderBy: { hlc: "asc" },
      take: 500,
      select: { snapshot: true },
    }),
    // Shift ids are ULIDs: newest first by id.
    db.prisma.terminalRecord.findMany({
      where: { ...key, kind: "shift" },
      orderBy: { id: "desc" },
      take: 30,
      select: { id: true, data: true },
    }),
    db.prisma.dlqItem.findMany({
      where: { ...key, status: "pending" },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: 100,
    }),
    db.prisma.dlqItem.findMany({
      where: { ...key, status: { not: "pending" } },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: 20,
    }),
    db.prisma.breakerTransition.findMany({
      where: { ...key, at: { gte: from } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: 500,
    }),
  ]);
  const view = tillView(row, state.live.get(row.id), state.ofd.get(row.id), now);
  const history = [...(before ? [before] : []), ...changes].map((c) =>
    statusChange(c.snapshot as TTerminalStatusData),
  );
  return {
    ...view,
    receiptsCount: receipts._count._all,
    lastReceiptAt: receipts._max.acceptedAt ?? null,
    window: { from, to: now },
    history,
    shifts: shifts.map((s) => shiftOf(s.id, (s.data ?? {}) as Record<string, unknown>)),
    dlq: [...pendingDlq, ...settledDlq].map((d) => ({
      id: d.id,
      destination: d.destination,
      itemKind: d.itemKind,
      itemId: d.itemId,
      status: d.status,
      reason: d.reason,
      fingerprint: d.fingerprint,
      attempts: d.attempts,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    })),
    breakerTimeline: transitions.map((t) => ({
      destination: t.destination,
      at: t.at,
      from: t.fromState,
      to: t.toState,
      cause: t.cause,
      failures: t.failures,
    })),
  };
}
