import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openAgentDatabase } from "@kassa/db/agent";
import type { SyncDb } from "./types.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface CentralProcess {
  url: string;
  /** "postgres" or "pglite" (one connection: concurrent pushes run one after another). */
  kind: string;
  terminals: { id: string; key: string; storeId: string; organizationId: string }[];
  stats(): Promise<CentralStats>;
  /** One till's RUM samples as central stored them (rum_samples, or terminal_records before it). */
  rum(
    terminalId: string,
  ): Promise<{ metric: string; value: number; unit: string; at: string; labels: Record<string, string> }[]>;
  fault(fault: {
    mode: "none" | "status" | "delay" | "drop" | "poison";
    status?: number;
    delayMs?: number;
    remaining?: number;
    needle?: string;
  }): Promise<void>;
  cashier(input: {
    organizationId: string;
    id: string;
    login: string;
    name: string;
    pin?: string;
    storeIds?: string[];
    active?: boolean;
  }): Promise<void>;
  /** Moves the central server's clock `offsetMs` ahead of real time. */
  clock(offsetMs: number): Promise<void>;
  /** The dashboard's `fleet.list` as a new owner of the organization, over HTTP. */
  fleet(organizationId: string): Promise<{ terminals: FleetTill[]; summary: Record<string, number> }>;
  /** A dashboard query (`dashboard.<path>`) as a new owner of the organization, over HTTP; superjson's plain part. */
  dashboard(organizationId: string, path: string, input: unknown): Promise<unknown>;
  command(input: {
    organizationId: string;
    terminalId: string;
    dlqItemId: string;
    action: "retry" | "discard";
    reason?: string;
    actor: string;
  }): Promise<string>;
  stop(): Promise<void>;
}

/** A till as the dashboard's fleet.list answers it (JSON: dates are ISO strings). */
export interface FleetTill {
  id: string;
  health: "ok" | "attention" | "offline";
  reasons: { code: string; count: number | null; detail: string | null }[];
  [field: string]: unknown;
}

export interface CentralStats {
  receipts: { terminal_id: string; n: number; distinct_ids: number; fiscalized: number }[];
  dlq: {
    terminal_id: string;
    id: string;
    item_kind: string;
    item_id: string;
    status: string;
    reason: string;
  }[];
  breakers: {
    terminal_id: string;
    destination: string;
    from_state: string;
    to_state: string;
    cause: string;
  }[];
  commands: { id: string; action: string; acked_at: string | null; outcome: string | null }[];
  records: { kind: string; n: number }[];
  skew: { id: string; clock_skew_ms: number | null; last_sync_at: string | null }[];
}

/**
 * Starts the real central server as its own process (packages/api/bench/central-server.ts): its
 * own database, HTTP, the same router the Next.js app serves.
 */
export async function startCentralProcess(args: string[] = []): Promise<CentralProcess> {
  // KASSA_PROFILE_CENTRAL=<dir> writes a CPU profile of the central process there (benchmark tuning).
  const profile = process.env.KASSA_PROFILE_CENTRAL;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(profile ? ["--cpu-prof", "--cpu-prof-dir", profile] : []),
      "--import",
      "tsx",
      "bench/central-server.ts",
      ...args,
    ],
    {
      cwd: join(root, "packages/api"),
      stdio: ["pipe", "pipe", "inherit"],
      env: process.env,
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; kind: string; terminals: CentralProcess["terminals"] }>(
    (resolve, reject) => {
      child.once("exit", (code) =>
        reject(new Error(`central server exited with ${code} before it was ready`)),
      );
      lines.once("line", (line) => resolve(JSON.parse(line)));
    },
  );
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${ready.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response.json();
  };
  return {
    ...ready,
    stats: () => call("/__test/stats") as Promise<CentralStats>,
    rum: async (terminalId) =>
      ((await call(`/__test/rum?terminal=${encodeURIComponent(terminalId)}`)) as { samples: never[] })
        .samples,
    fault: async (fault) => {
      await call("/__test/fault", { remaining: -1, ...fault });
    },
    cashier: async (input) => {
      await call("/__test/cashier", input);
    },
    clock: async (offsetMs) => {
      await call("/__test/clock", { offsetMs });
    },
    command: async (input) => ((await call("/__test/command", input)) as { id: string }).id,
    fleet: async (organizationId) => {
      // A dashboard owner's session (`/__test/user`), then the dashboard's own HTTP endpoint.
      const owner = (await call("/__test/user", { organizationId, role: "owner" })) as { cookie: string };
      const response = await fetch(`${ready.url}/api/trpc/dashboard.fleet.list`, {
        headers: { cookie: owner.cookie },
      });
      // superjson's envelope: the plain part is enough here (dates stay ISO strings).
      const body = (await response.json()) as { result: { data: { json: unknown } } };
      return body.result.data.json as Awaited<ReturnType<CentralProcess["fleet"]>>;
    },
    dashboard: async (organizationId, path, input) => {
      const owner = (await call("/__test/user", { organizationId, role: "owner" })) as { cookie: string };
      const query = encodeURIComponent(JSON.stringify({ json: input }));
      const response = await fetch(`${ready.url}/api/trpc/dashboard.${path}?input=${query}`, {
        headers: { cookie: owner.cookie },
      });
      const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: unknown };
      if (!body.result) throw new Error(`dashboard.${path} failed: ${JSON.stringify(body.error)}`);
      return body.result.data.json;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A fresh agent buffer (all migrations applied) in a temporary directory. */
export async function openTestBuffer(): Promise<{ db: SyncDb; path: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "kassa-sync-"));
  const path = join(dir, "buffer.sqlite");
  const db = await openAgentDatabase(path);
  return {
    db,
    path,
    dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function hlcOf(ms: number, counter = 0): string {
  return `${String(ms).padStart(13, "0")}.${String(counter).padStart(5, "0")}`;
}

const PRODUCTS = [
  ["Lens Essilor Varilux 1.6", 450000],
  ["Frame Ray-Ban RB5154", 1290000],
  ["Lens cloth microfibre", 19900],
  ["Contact lenses Acuvue Oasys 6 pcs", 215000],
  ["Solution Opti-Free 300 ml", 64900],
  ["Case for glasses, leather", 89000],
  ["Sunglasses Polaroid PLD 2086", 749000],
  ["Eye examination", 150000],
  ["Lens Hoya Nulux 1.67 blue control", 690000],
  ["Frame Silhouette Momentum", 2450000],
  ["Drops Systane Ultra 10 ml", 72900],
  ["Chain for glasses", 35000],
] as const;
const ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID-shaped id: 10 characters of time, 16 random (as the agent's receipt ids are). */
function ulidAt(ms: number, random: () => number): string {
  let time = "";
  for (let i = 9, t = ms; i >= 0; i--, t = Math.floor(t / 32)) time = ULID_ALPHABET[t % 32] + time;
  let rest = "";
  for (let i = 0; i < 16; i++) rest += ULID_ALPHABET[Math.floor(random() * 32)];
  return time + rest;
}

/** A deterministic pseudo-random sequence (mulberry32), so runs are comparable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A typical receipt with some variety (three items picked from an optician's catalogue, quantities,
 * card or cash with change), written as an outbox row the way the agent's receipt service does.
 */
export function enqueueTypicalReceipt(
  db: SyncDb,
  n: number,
  atMs: number,
  terminalId: string,
  random: () => number,
): string {
  const id = ulidAt(atMs, random);
  const items = Array.from({ length: 3 }, () => {
    const [name, price] = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
    const quantity = 1 + Math.floor(random() * 2);
    return {
      name,
      price,
      quantity,
      unit: "pcs",
      vat: "vat20",
      subject: "goods",
      paymentMethod: "full_payment",
      sum: price * quantity,
    };
  });
  const total = items.reduce((sum, item) => sum + item.sum, 0);
  const cash = random() < 0.3;
  const paid = cash ? Math.ceil(total / 100000) * 100000 : total;
  const payload = {
    terminalId,
    receiptId: id,
    idempotencyKey: `pos-${terminalId.slice(-4)}-${Math.floor(random() * 1e9).toString(36)}`,
    bodyHash: "0".repeat(64),
    seq: n,
    hlc: hlcOf(atMs),
    kind: "sale",
    taxSystem: "osn",
    cashier: { name: random() < 0.5 ? "Ivanova A." : "Petrov S." },
    items,
    payments: [{ type: cash ? "cash" : "electronic", amount: paid }],
    total,
    cashTotal: cash ? paid : 0,
    change: paid - total,
    acceptedAt: new Date(atMs).toISOString(),
    // A real shift id is a ULID (26 characters, compresses poorly): bench:sync's bytes count it.
    shiftId: "01KB7N4Q2R8XJ5W3M6T9VZC0HD",
  };
  db.prepare(
    "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'receipt', ?, ?, ?)",
  ).run(id, hlcOf(atMs, n % 1000), JSON.stringify(payload));
  return id;
}

/** The id enqueueReceipt gives receipt `n`. */
export function receiptIdOf(n: number): string {
  return `01JRCPT${String(n).padStart(19, "0")}`;
}

/** Writes a receipt's outbox row the way the agent's receipt service does (receipts/payloads.ts). */
export function enqueueReceipt(db: SyncDb, n: number, atMs: number, terminalId = "t"): string {
  const id = receiptIdOf(n);
  const payload = {
    terminalId,
    receiptId: id,
    idempotencyKey: `pos-1-${n}`,
    bodyHash: "0".repeat(64),
    seq: n,
    hlc: hlcOf(atMs),
    kind: "sale",
    taxSystem: "osn",
    cashier: { name: "Ivanova A." },
    items: [
      {
        name: "Lens Essilor 1.6",
        price: 450000,
        quantity: 2,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        sum: 900000,
      },
      {
        name: "Frame Ray-Ban RB5154",
        price: 1290000,
        quantity: 1,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        sum: 1290000,
      },
      {
        name: "Lens cloth",
        price: 19900,
        quantity: 1,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        sum: 19900,
      },
    ],
    payments: [{ type: "electronic", amount: 2209900 }],
    total: 2209900,
    cashTotal: 0,
    change: 0,
    acceptedAt: new Date(atMs).toISOString(),
    shiftId: "shift-1",
  };
  db.prepare(
    "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'receipt', ?, ?, ?)",
  ).run(id, hlcOf(atMs, n % 1000), JSON.stringify(payload));
  return id;
}

export function enqueueFiscalized(db: SyncDb, receiptId: string, fd: number, atMs: number): void {
  const payload = {
    receiptId,
    fiscal: {
      fdNumber: fd,
      fiscalSign: String(4_000_000_000 + fd),
      fnNumber: "9287440301120991",
      shiftNumber: 1,
      dateTime: new Date(atMs).toISOString(),
    },
    fiscalizedAt: new Date(atMs).toISOString(),
  };
  db.prepare(
    "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'receipt_fiscalized', ?, ?, ?)",
  ).run(receiptId, hlcOf(atMs, 99_000 + (fd % 900)), JSON.stringify(payload));
}

export function outboxCount(db: SyncDb): number {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox").get()!.n;
}

export function cleanupDir(path: string): void {
  rmSync(dirname(path), { recursive: true, force: true });
}
