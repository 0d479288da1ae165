import { type BasketLine, basketTotal, type Payment, randomBasket, randomPayment } from "./catalogue.ts";
import { Random } from "./random.ts";

/**
 * One till driven like a real shop, only through the agent's public API (docs/agent-api.md): a
 * cashier signs in with a PIN, opens the shift with a float, sells baskets to a stream of
 * customers, now and then refunds a purchase, puts cash in or takes it out, reports the POS
 * front-end's web vitals, and closes the shift by counting the drawer (a small variance most
 * days, once a large one). Time is virtual: `wait` is given virtual milliseconds and the caller
 * decides how fast they pass (`--speed`), so a test can run a shift in no time.
 */

/** Calls one procedure of the agent's local API; rejects with `{kassaCode}` on a typed error. */
export type AgentCall = <T>(procedure: string, input?: unknown, kind?: "mutation" | "query") => Promise<T>;

export interface TillTrafficOptions {
  /** "store-a/till-1": names the till in logs and keys. */
  name: string;
  call: AgentCall;
  /** Waits `virtualMs` of shop time; resolves false when the run is stopping. */
  wait: (virtualMs: number) => Promise<boolean>;
  cashier: { login: string; pin: string };
  seed: number;
  /** Distinguishes runs: idempotency keys are `<runTag>-<name>-<n>`, so a second run adds sales. */
  runTag: string;
  /** Shop time a shift stays open before the cashier counts the drawer and closes it. */
  shiftLengthMs: number;
  /** Mean shop time between two customers. */
  customerGapMs: number;
  /** Kopecks counted over (or under, when negative) the expected cash at this till's first close. */
  firstCloseVariance?: number;
  /** Largest everyday variance, kopecks (kept below the organization's tolerance). */
  smallVarianceMax?: number;
}

export interface TillTrafficStats {
  sales: number;
  refunds: number;
  cashMoves: number;
  vitalsReports: number;
  shiftsOpened: number;
  shiftsClosed: number;
  /** Receipts whose answer was not `fiscalized` (waiting for paper, for the device…). */
  notPrintedAtOnce: number;
  /** Variance (counted − expected, kopecks) of each closed shift, in order. */
  variances: number[];
  /** Typed errors by kassaCode (or "NETWORK" when the agent did not answer). */
  errors: Record<string, number>;
  lastError: string | null;
  /** What the till does now, for the status board. */
  doing: string;
}

interface Sale {
  lines: BasketLine[];
  total: number;
  payments: Payment[];
}

interface CreatedReceipt {
  receiptId: string;
  status: string;
}

interface ShiftStatus {
  open: boolean;
  expired: boolean;
  cash: { expected: number } | null;
}

/** Seeds the session retry: a till learns its cashiers on its first syncs, which can take a while. */
const LOGIN_RETRY_MS = 5_000;
const OPENING_FLOAT = 500_000;

export class TillTraffic {
  readonly stats: TillTrafficStats = {
    sales: 0,
    refunds: 0,
    cashMoves: 0,
    vitalsReports: 0,
    shiftsOpened: 0,
    shiftsClosed: 0,
    notPrintedAtOnce: 0,
    variances: [],
    errors: {},
    lastError: null,
    doing: "starting",
  };
  private readonly random: Random;
  private session: string | null = null;
  private keySeq = 0;
  private readonly recentSales: Sale[] = [];
  private vitalsSupported = true;

  constructor(private readonly options: TillTrafficOptions) {
    this.random = new Random(options.seed);
  }

  /** Runs shifts until `wait` says the run is stopping; never throws for the agent's answers. */
  async run(): Promise<void> {
    for (;;) {
      if (!(await this.signIn())) return;
      if (!(await this.openShift())) return;
      const more = await this.trade();
      await this.closeShift();
      if (!more) return;
    }
  }

  private async signIn(): Promise<boolean> {
    for (;;) {
      this.stats.doing = `cashier ${this.options.cashier.login} signs in`;
      try {
        const login = await this.options.call<{ session: string }>("auth.login", this.options.cashier);
        this.session = login.session;
        return true;
      } catch (error) {
        this.count(error);
        // Until the till's first sync brings its store's cashiers, the login is unknown: try again.
        if (!(await this.options.wait(LOGIN_RETRY_MS))) return false;
      }
    }
  }

  private cashierRef() {
    return { session: this.session };
  }

  /** Opens a shift unless one is open; an expired one (over 24 h) is closed first. */
  private async openShift(): Promise<boolean> {
    for (;;) {
      try {
        const status = await this.options.call<ShiftStatus>("shift.status", {}, "query");
        if (status.open && !status.expired) return true;
        if (status.open && status.expired) await this.closeShift();
        this.stats.doing = "opening the shift";
        await this.options.call("shift.open", { cashier: this.cashierRef(), openingFloat: OPENING_FLOAT });
        this.stats.shiftsOpened++;
        return true;
      } catch (error) {
        if (this.sessionLost(error)) {
          if (!(await this.signIn())) return false;
          continue;
        }
        this.count(error);
        if (!(await this.options.wait(LOGIN_RETRY_MS))) return false;
      }
    }
  }

  /** Serves customers for one shift; false when the run is stopping. */
  private async trade(): Promise<boolean> {
    let elapsed = 0;
    while (elapsed < this.options.shiftLengthMs) {
      const gap = Math.max(200, this.random.exponential(this.options.customerGapMs));
      this.stats.doing = "selling";
      if (!(await this.options.wait(gap))) return false;
      elapsed += gap;
      const roll = this.random.next();
      if (roll < 0.03 && this.recentSales.length > 0) await this.refund();
      else if (roll < 0.045) await this.moveCash("in");
      else if (roll < 0.065) await this.moveCash("out");
      else if (roll < 0.1) await this.reportVitals();
      else await this.sell();
    }
    return true;
  }

  private nextKey(): string {
    return `${this.options.runTag}-${this.options.name.replaceAll("/", "-")}-${++this.keySeq}`;
  }

  private async sell(): Promise<void> {
    const lines = randomBasket(this.random);
    const total = basketTotal(lines);
    const sale: Sale = { lines, total, payments: randomPayment(this.random, total) };
    if (await this.createReceipt("sale", sale)) {
      this.stats.sales++;
      this.recentSales.push(sale);
      if (this.recentSales.length > 20) this.recentSales.shift();
    }
  }

  /** A customer brings back a recent purchase: the same lines, money back the way it was paid. */
  private async refund(): Promise<void> {
    const index = this.random.int(0, this.recentSales.length - 1);
    const [sale] = this.recentSales.splice(index, 1);
    if (!sale) return;
    const cash = sale.payments.some((payment) => payment.type === "cash");
    const payments: Payment[] = [{ type: cash ? "cash" : "electronic", amount: sale.total }];
    if (await this.createReceipt("refund", { ...sale, payments })) this.stats.refunds++;
  }

  private async createReceipt(kind: "sale" | "refund", sale: Sale): Promise<boolean> {
    const body = {
      idempotencyKey: this.nextKey(),
      kind,
      cashier: this.cashierRef(),
      items: sale.lines,
      payments: sale.payments,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const receipt = await this.options.call<CreatedReceipt>("receipts.create", body);
        if (receipt.status !== "fiscalized") this.stats.notPrintedAtOnce++;
        return true;
      } catch (error) {
        if (this.sessionLost(error) && (await this.signIn())) {
          body.cashier = this.cashierRef();
          continue;
        }
        if (codeOf(error) === "SHIFT_EXPIRED" || codeOf(error) === "SHIFT_CLOSED") {
          if (await this.openShift()) continue;
        }
        this.count(error);
        return false;
      }
    }
    return false;
  }

  private async moveCash(direction: "in" | "out"): Promise<void> {
    // Change brought in from the safe, or notes taken to it (encashment).
    const amount =
      direction === "in"
        ? this.random.pick([100_000, 200_000, 300_000])
        : this.random.pick([200_000, 300_000]);
    try {
      await this.options.call("cash.move", {
        direction,
        amount,
        reason: direction === "in" ? "Размен из сейфа" : "Инкассация в сейф",
        cashier: this.cashierRef(),
        idempotencyKey: this.nextKey(),
      });
      this.stats.cashMoves++;
    } catch (error) {
      // Taking out more than the drawer holds is refused: a real cashier would not try again.
      this.count(error);
    }
  }

  /** What the POS front-end's page measured since the last report (web-vitals' Metric shape). */
  private async reportVitals(): Promise<void> {
    if (!this.vitalsSupported) return;
    const lcp = 600 + this.random.exponential(700);
    const inp = 40 + this.random.exponential(90);
    const cls = this.random.exponential(0.04);
    const rate = (value: number, good: number, poor: number) =>
      value <= good ? "good" : value <= poor ? "needs-improvement" : "poor";
    const id = `v5-${this.options.runTag}-${this.keySeq}-${this.random.int(0, 1e9)}`;
    try {
      await this.options.call("rum.report", {
        vitals: [
          {
            name: "LCP",
            value: lcp,
            rating: rate(lcp, 2500, 4000),
            id: `${id}-lcp`,
            navigationType: "navigate",
          },
          {
            name: "INP",
            value: inp,
            rating: rate(inp, 200, 500),
            id: `${id}-inp`,
            navigationType: "navigate",
          },
          {
            name: "CLS",
            value: cls,
            rating: rate(cls, 0.1, 0.25),
            id: `${id}-cls`,
            navigationType: "navigate",
          },
        ],
        marks: [
          { name: "scan_to_line", valueMs: 30 + this.random.exponential(40) },
          { name: "tender_to_printed", valueMs: 400 + this.random.exponential(500) },
        ],
      });
      this.stats.vitalsReports++;
    } catch (error) {
      // An agent without rum.report (older release) answers 404: the POS stops reporting.
      if (codeOf(error) === "NOT_FOUND") this.vitalsSupported = false;
      this.count(error);
    }
  }

  /** Counts the drawer and closes the shift (Z report). */
  private async closeShift(): Promise<void> {
    this.stats.doing = "counting the drawer";
    try {
      const status = await this.options.call<ShiftStatus>("shift.status", {}, "query");
      if (!status.open || !status.cash) return;
      const variance =
        this.stats.shiftsClosed === 0 && this.options.firstCloseVariance !== undefined
          ? this.options.firstCloseVariance
          : this.smallVariance();
      await this.options.call("shift.close", {
        cashier: this.cashierRef(),
        countedCash: Math.max(0, status.cash.expected + variance),
      });
      this.stats.shiftsClosed++;
      this.stats.variances.push(variance);
    } catch (error) {
      if (this.sessionLost(error) && (await this.signIn())) return this.closeShift();
      this.count(error);
    }
  }

  /** Most drawers count right; some are a few roubles off either way. */
  private smallVariance(): number {
    if (this.random.chance(0.6)) return 0;
    const max = this.options.smallVarianceMax ?? 5_000;
    const amount = this.random.int(1, max / 100) * 100;
    return this.random.chance(0.5) ? amount : -amount;
  }

  private sessionLost(error: unknown): boolean {
    const code = codeOf(error);
    const lost = code === "SESSION_INVALID" || code === "LOGIN_REQUIRED";
    if (lost) this.session = null;
    return lost;
  }

  private count(error: unknown): void {
    const code = codeOf(error) ?? "NETWORK";
    this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
    this.stats.lastError = `${code}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "kassaCode" in error) {
    const code = (error as { kassaCode?: unknown }).kassaCode;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}
