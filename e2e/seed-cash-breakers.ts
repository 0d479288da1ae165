import type { CentralDatabase } from "@kassa/db/central";
import {
  seedBreakerTransition,
  seedReceipt,
  seedShift,
  seedStore,
  seedTerminal,
  seedUser,
} from "@kassa/db/seed";

/** What the cash and breakers specs find seeded (JSON-safe: it travels in KASSA_E2E_STACK). */
export interface CashBreakersSeed {
  managerEmail: string;
  managerPassword: string;
  /** The store-local (Moscow) day the shifts opened on, for /cash?dayFrom=…&dayTo=…. */
  cashDay: string;
  /** A closed shift 150 ₽ short, beyond the default 100 ₽ tolerance, every receipt delivered. */
  shortShift: { terminalId: string; terminalName: string; shiftId: string; number: number };
  /** A shift whose receipt seq 3 never arrived (provisional). */
  provisionalShiftId: string;
  /** Three tills' OFD breakers opened within 35 s at this instant (ISO). */
  outageAt: string;
  outageTills: string[];
  /** A fourth till lost the central server alone (ISO). */
  localTripAt: string;
}

const FN = "9999078900004312";
const MIN = 60_000;

/**
 * Seeds, beside the demo organization and its real agent's till (Till 1, left alone), the data the
 * cash and breakers pages need: a store-scoped manager, tills 2–4, an OFD outage across three of
 * them, one till's lone central trip, and two closed shifts of Till 2 (one short beyond tolerance,
 * one provisional). Times are relative to `now`, so the pages' default windows show them.
 */
export async function seedCashAndBreakers(
  db: CentralDatabase,
  demo: { organizationId: string; storeId: string },
  now: Date = new Date(),
): Promise<CashBreakersSeed> {
  const p = db.prisma;
  const { organizationId, storeId } = demo;
  const arbat = await seedStore(p, { organizationId, name: "Arbat 5", timezone: "Europe/Moscow" });
  const till2 = (await seedTerminal(p, { organizationId, storeId, name: "Till 2", lastSyncAt: now }))
    .terminal;
  const till3 = (
    await seedTerminal(p, { organizationId, storeId: arbat.id, name: "Till 3", lastSyncAt: now })
  ).terminal;
  const till4 = (
    await seedTerminal(p, { organizationId, storeId: arbat.id, name: "Till 4", lastSyncAt: now })
  ).terminal;
  const managerPassword = "manager-e2e-password";
  const managerEmail = "manager@kassa.local";
  await seedUser(p, {
    organizationId,
    role: "manager",
    storeIds: [storeId],
    email: managerEmail,
    name: "Petrova Maria",
    password: managerPassword,
  });

  // The OFD was unreachable for everyone 2 h ago: three tills trip within 35 s, recover 15 min later.
  const outage = new Date(now.getTime() - 120 * MIN);
  for (const [index, till] of [till2, till3, till4].entries()) {
    const at = new Date(outage.getTime() + [0, 12_000, 35_000][index]!);
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at,
      from: "closed",
      to: "open",
      cause: "5 consecutive failures; last: OFD answered HTTP 503",
    });
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at: new Date(at.getTime() + 10 * MIN),
      from: "open",
      to: "half_open",
    });
    await seedBreakerTransition(p, {
      terminal: till,
      destination: "ofd",
      at: new Date(at.getTime() + 15 * MIN),
      from: "half_open",
      to: "closed",
    });
  }
  // Till 4 alone loses the central server 5 h ago (its network), back after 20 min.
  const localTrip = new Date(now.getTime() - 300 * MIN);
  await seedBreakerTransition(p, {
    terminal: till4,
    destination: "central",
    at: localTrip,
    from: "closed",
    to: "open",
    cause: "5 consecutive failures; last: connect ETIMEDOUT",
  });
  await seedBreakerTransition(p, {
    terminal: till4,
    destination: "central",
    at: new Date(localTrip.getTime() + 20 * MIN),
    from: "open",
    to: "closed",
  });

  // Till 2's two shifts lie in the three hours before `now`, and on one of the store's (Moscow)
  // days: when that span crosses Moscow's midnight, they move back to end just before it (the
  // cash page shows them under that one day; CI at 23:25 UTC found shift 8 on the next one).
  const moscowDay = (at: Date) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/Moscow",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(at);
  const lastClose = new Date(now.getTime() - 60 * MIN);
  const shiftsEnd =
    moscowDay(new Date(now.getTime() - 180 * MIN)) === moscowDay(lastClose)
      ? now.getTime()
      : Date.parse(`${moscowDay(lastClose)}T00:00:00+03:00`) - MIN + 60 * MIN;

  // Till 2's shift 7: float 3 000 ₽, a cash sale of 1 500 ₽ and a cash refund of 100 ₽ → 4 400 ₽
  // expected; 4 250 ₽ counted: 150 ₽ short, beyond the 100 ₽ tolerance.
  const openedAt = new Date(shiftsEnd - 180 * MIN);
  const closedAt = new Date(shiftsEnd - 130 * MIN);
  const short = await seedShift(p, {
    terminal: till2,
    number: 7,
    openedAt,
    closedAt,
    openingFloat: 300_000,
    countedCash: 425_000,
    openFd: 40,
    closeFd: 43,
    cashierName: "Ivanova Anna",
    cash: {
      openingFloat: 300_000,
      cashSales: 150_000,
      cashRefunds: 10_000,
      cashIn: 0,
      cashOut: 0,
      expected: 440_000,
    },
  });
  const fiscal = (fdNumber: number, at: Date) => ({
    fdNumber,
    fiscalSign: `31${fdNumber}0457`,
    fnNumber: FN,
    shiftNumber: 7,
    fiscalizedAt: at,
  });
  const saleAt = new Date(openedAt.getTime() + 10 * MIN);
  await seedReceipt(p, {
    terminal: till2,
    seq: 1,
    acceptedAt: saleAt,
    items: [{ name: "Frame Oakley", price: 150_000, quantity: 1, sum: 150_000, vat: "vat20" }],
    payments: [{ type: "cash", amount: 150_000 }],
    fiscal: fiscal(41, saleAt),
  });
  const refundAt = new Date(openedAt.getTime() + 20 * MIN);
  await seedReceipt(p, {
    terminal: till2,
    seq: 2,
    kind: "refund",
    acceptedAt: refundAt,
    items: [{ name: "Lens cloth", price: 10_000, quantity: 1, sum: 10_000, vat: "vat20" }],
    payments: [{ type: "cash", amount: 10_000 }],
    fiscal: fiscal(42, refundAt),
  });

  // Till 2's shift 8: its receipt seq 3 has not reached the server (seq 4 has): provisional.
  const openedB = new Date(shiftsEnd - 120 * MIN);
  const provisional = await seedShift(p, {
    terminal: till2,
    number: 8,
    openedAt: openedB,
    closedAt: new Date(shiftsEnd - 60 * MIN),
    openingFloat: 100_000,
    countedCash: 160_000,
    cashierName: "Ivanova Anna",
    cash: {
      openingFloat: 100_000,
      cashSales: 60_000,
      cashRefunds: 0,
      cashIn: 0,
      cashOut: 0,
      expected: 160_000,
    },
  });
  await seedReceipt(p, {
    terminal: till2,
    seq: 4,
    acceptedAt: new Date(openedB.getTime() + 30 * MIN),
    items: [{ name: "Case", price: 20_000, quantity: 1, sum: 20_000, vat: "vat20" }],
    payments: [{ type: "cash", amount: 20_000 }],
  });

  const cashDay = moscowDay(openedAt);
  return {
    managerEmail,
    managerPassword,
    cashDay,
    shortShift: { terminalId: till2.id, terminalName: till2.name, shiftId: short.shiftId, number: 7 },
    provisionalShiftId: provisional.shiftId,
    outageAt: outage.toISOString(),
    outageTills: [till2.name, till3.name, till4.name],
    localTripAt: localTrip.toISOString(),
  };
}
