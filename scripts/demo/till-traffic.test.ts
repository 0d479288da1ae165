import { registerTextProblem } from "@kassa/fiscal/ffd";
import { describe, expect, it } from "vitest";
import { basketTotal, CATALOGUE, randomBasket, randomPayment } from "./catalogue.ts";
import { Random } from "./random.ts";
import { type AgentCall, TillTraffic } from "./till-traffic.ts";

class TypedError extends Error {
  constructor(readonly kassaCode: string) {
    super(kassaCode);
  }
}

/**
 * A till's API as the traffic sees it, keeping the books a real agent keeps: the shift, the cash
 * drawer and every receipt body (to check the generator sends what the agent's contract wants).
 */
class FakeTill {
  calls: { procedure: string; input: unknown }[] = [];
  receipts: {
    idempotencyKey: string;
    kind: string;
    items: { price: number; quantity: number; unit: string }[];
    payments: { type: string; amount: number }[];
  }[] = [];
  closes: { countedCash: number; expected: number }[] = [];
  shiftOpen = false;
  drawer = 0;
  cashiersKnownAfter = 2;

  call: AgentCall = async <T>(procedure: string, input?: unknown) => {
    this.calls.push({ procedure, input });
    const body = input as unknown;
    switch (procedure) {
      case "auth.login":
        // The till learns its cashiers on its first syncs: unknown at first.
        if (--this.cashiersKnownAfter > 0) throw new TypedError("UNAUTHORIZED");
        return { session: "s1" } as T;
      case "shift.status":
        return {
          open: this.shiftOpen,
          expired: false,
          cash: this.shiftOpen ? { expected: this.drawer } : null,
        } as T;
      case "shift.open":
        this.shiftOpen = true;
        this.drawer = (body as { openingFloat: number }).openingFloat;
        return {} as T;
      case "shift.close": {
        const counted = (body as { countedCash: number }).countedCash;
        this.closes.push({ countedCash: counted, expected: this.drawer });
        this.shiftOpen = false;
        return {} as T;
      }
      case "receipts.create": {
        if (!this.shiftOpen) throw new TypedError("SHIFT_CLOSED");
        const receipt = input as FakeTill["receipts"][number];
        if (this.receipts.some((r) => r.idempotencyKey === receipt.idempotencyKey))
          throw new TypedError("IDEMPOTENCY_CONFLICT");
        this.receipts.push(receipt);
        const total = basketTotal(receipt.items as never);
        const cash = receipt.payments.filter((p) => p.type === "cash").reduce((s, p) => s + p.amount, 0);
        const paid = receipt.payments.reduce((s, p) => s + p.amount, 0);
        const change = paid - total;
        this.drawer += (receipt.kind === "sale" ? 1 : -1) * (cash - change);
        return { receiptId: receipt.idempotencyKey, status: "fiscalized" } as T;
      }
      case "cash.move": {
        const { direction, amount } = body as { direction: string; amount: number };
        if (direction === "out" && amount > this.drawer) throw new TypedError("VALIDATION_FAILED");
        this.drawer += direction === "in" ? amount : -amount;
        return {} as T;
      }
      case "rum.report":
        return { accepted: 5 } as T;
      default:
        throw new TypedError("NOT_FOUND");
    }
  };
}

/** Shop time that passes at once: the run stops after `totalMs` of it. */
function fakeTime(totalMs: number) {
  let now = 0;
  return {
    wait: async (ms: number) => {
      now += ms;
      return now <= totalMs;
    },
    get now() {
      return now;
    },
  };
}

describe("catalogue", () => {
  it("has only names the register can print", () => {
    for (const product of CATALOGUE) expect(registerTextProblem(product.name), product.name).toBeNull();
  });

  it("makes baskets of 1–7 distinct lines, weighed goods to the gram, and payments that cover the total", () => {
    const random = new Random(42);
    let weighed = 0;
    for (let i = 0; i < 500; i++) {
      const basket = randomBasket(random);
      expect(basket.length).toBeGreaterThanOrEqual(1);
      expect(basket.length).toBeLessThanOrEqual(7);
      expect(new Set(basket.map((l) => l.name)).size).toBe(basket.length);
      for (const line of basket.filter((l) => l.unit === "kg")) {
        weighed++;
        expect(Math.round(line.quantity * 1000) / 1000).toBe(line.quantity);
      }
      const total = basketTotal(basket);
      const payments = randomPayment(random, total);
      const paid = payments.reduce((s, p) => s + p.amount, 0);
      expect(paid).toBeGreaterThanOrEqual(total);
      // Only cash may exceed the total (the agent's rule: change only in cash).
      if (paid > total) expect(payments.every((p) => p.type === "cash")).toBe(true);
    }
    expect(weighed).toBeGreaterThan(50);
  });
});

describe("TillTraffic", () => {
  const options = (till: FakeTill, time: ReturnType<typeof fakeTime>) => ({
    name: "till-1",
    call: till.call,
    wait: time.wait,
    cashier: { login: "cashier1", pin: "1111" },
    seed: 7,
    runTag: "t",
    shiftLengthMs: 5 * 60_000,
    customerGapMs: 6_000,
    firstCloseVariance: 35_000,
    smallVarianceMax: 5_000,
  });

  it("signs in once the till knows its cashier, then sells and closes shifts with the counted cash", async () => {
    const till = new FakeTill();
    const time = fakeTime(11 * 60_000);
    const traffic = new TillTraffic(options(till, time));
    await traffic.run();

    // Refused once (cashiers not synced yet), then the cashier signs in at the start of each shift.
    expect(till.calls.filter((c) => c.procedure === "auth.login")).toHaveLength(4);
    expect(traffic.stats.errors.UNAUTHORIZED).toBe(1);
    // Two full shifts and the one open when the run stopped, each closed (the day's Z report).
    expect(traffic.stats.shiftsOpened).toBe(3);
    expect(traffic.stats.shiftsClosed).toBe(3);
    expect(till.closes.map((c) => c.countedCash - c.expected)).toEqual(traffic.stats.variances);
    expect(traffic.stats.variances[0]).toBe(35_000);
    for (const variance of traffic.stats.variances.slice(1))
      expect(Math.abs(variance)).toBeLessThanOrEqual(5_000);
    expect(traffic.stats.sales).toBe(till.receipts.filter((r) => r.kind === "sale").length);
    expect(traffic.stats.sales).toBeGreaterThan(50);
    expect(new Set(till.receipts.map((r) => r.idempotencyKey)).size).toBe(till.receipts.length);
    expect(traffic.stats.vitalsReports).toBeGreaterThan(0);
  });

  it("refunds a purchase made earlier in the run, for its total, the way it was paid", async () => {
    const till = new FakeTill();
    await new TillTraffic(options(till, fakeTime(30 * 60_000))).run();
    const sales = till.receipts.filter((r) => r.kind === "sale");
    const refunds = till.receipts.filter((r) => r.kind === "refund");
    expect(refunds.length).toBeGreaterThan(0);
    for (const refund of refunds) {
      const total = basketTotal(refund.items as never);
      expect(refund.payments).toHaveLength(1);
      expect(refund.payments[0]!.amount).toBe(total);
      expect(sales.some((s) => JSON.stringify(s.items) === JSON.stringify(refund.items))).toBe(true);
    }
  });

  it("is the same shop day for the same seed", async () => {
    const a = new FakeTill();
    const b = new FakeTill();
    await new TillTraffic(options(a, fakeTime(10 * 60_000))).run();
    await new TillTraffic(options(b, fakeTime(10 * 60_000))).run();
    expect(b.receipts).toEqual(a.receipts);
  });

  it("stops reporting web vitals to an agent without rum.report", async () => {
    const till = new FakeTill();
    const base = till.call;
    till.call = (async (procedure: string, input?: unknown, kind?: "mutation" | "query") => {
      if (procedure === "rum.report") throw new TypedError("NOT_FOUND");
      return base(procedure, input, kind);
    }) as AgentCall;
    const traffic = new TillTraffic(options(till, fakeTime(20 * 60_000)));
    await traffic.run();
    expect(traffic.stats.errors.NOT_FOUND).toBe(1);
    expect(traffic.stats.vitalsReports).toBe(0);
  });
});
