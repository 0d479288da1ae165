import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Page, test } from "@playwright/test";
import { type CentralHandle, repoRoot, stackPaths, startCentral } from "../../scripts/stack.ts";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { expect } from "./fixtures.ts";

/**
 * The README's first command, run short and accelerated (`npm start -- --duration … --speed …
 * --fresh`), then judged through the central server's own API the dashboard uses: every till's
 * receipts arrived exactly once, the OFD's rejection is in the DLQ, the OFD outage is one incident
 * across every till, the closed shifts are reconciled with the one large variance waiting for
 * approval, every till sent RUM samples, and the OFD outage's alert fired and resolved. Then a
 * walk through every dashboard page, with screenshots.
 *
 * Speed 1.5: the outage lasts 2 minutes of shop time (80 s real), past the demo's 1-minute
 * "breaker open" alert threshold — alerts judge real time, as they do in a shop.
 */
const DATA_DIR = ".kassa/e2e-demo";
const PORT = 3310;
const TILLS = 4;
const RUN_SECONDS = 200;

interface RunSummary {
  organizationId: string;
  logins: { owner: { email: string; password: string } };
  tills: {
    number: number;
    terminalId: string;
    stats: { sales: number; refunds: number; shiftsClosed: number; variances: number[] };
  }[];
  ofd: { rejected: number };
  incidents: { done: { label: string }[] };
}

test.describe.configure({ mode: "serial" });

let central: CentralHandle | null = null;
let summary: RunSummary;
let runStartedAt: Date;
let output = "";

test.beforeAll(async () => {
  test.setTimeout(15 * 60_000);
  runStartedAt = new Date();
  const run: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/demo.ts",
      ...["--duration", String(RUN_SECONDS), "--speed", "1.5", "--fresh", "--tills", String(TILLS)],
      ...["--data-dir", DATA_DIR, "--port", String(PORT), "--agent-port", "7310"],
    ],
    // The embedded default, whatever the suite's environment says.
    { cwd: repoRoot, env: { ...process.env, DATABASE_URL: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  run.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  run.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => run.once("exit", resolve));
  expect(code, `npm start exited with ${code}:\n${output.slice(-4000)}`).toBe(0);
  expect(output).toContain(`--duration ${RUN_SECONDS} s reached`);
  summary = JSON.parse(readFileSync(join(stackPaths(DATA_DIR).root, "last-run.json"), "utf8")) as RunSummary;
  // The data stayed: the dashboard comes back up on it alone, as a second `npm start` would.
  central = await startCentral({ port: PORT, dataDir: DATA_DIR, log: () => undefined });
});

test.afterAll(async () => {
  await central?.stop();
});

const url = (path: string) => `http://127.0.0.1:${PORT}${path}`;

async function signIn(page: Page) {
  await page.goto(url("/login"));
  await page.getByLabel("Email").fill(summary.logins.owner.email);
  await page.getByLabel("Password").fill(summary.logins.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(url("/"));
}

/** A dashboard query over HTTP with the signed-in page's cookie (tRPC GET, superjson envelope). */
async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await page.request.get(url(`/api/trpc/${path}${search}`));
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: unknown };
  expect(response.ok(), `${path}: ${JSON.stringify(body.error)}`).toBe(true);
  return body.result!.data.json;
}

test("the run's work arrived centrally: receipts once each, the DLQ, the outage, cash, RUM, alerts", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  expect(summary.tills).toHaveLength(TILLS);
  const now = new Date().toISOString();
  const from = new Date(runStartedAt.getTime() - 60_000).toISOString();

  // Every receipt a till accepted is stored centrally exactly once.
  for (const till of summary.tills) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page_ = await query<{ receipts: { id: string }[]; nextCursor: string | null }>(
        page,
        "dashboard.receipts.list",
        {
          terminalId: till.terminalId,
          limit: 100,
          ...(cursor ? { cursor } : {}),
        },
      );
      ids.push(...page_.receipts.map((r) => r.id));
      cursor = page_.nextCursor ?? undefined;
    } while (cursor);
    expect(till.stats.sales, `till ${till.number} sold`).toBeGreaterThan(0);
    expect(new Set(ids).size, `till ${till.number}: no receipt twice`).toBe(ids.length);
    expect(ids.length, `till ${till.number}: every accepted receipt arrived`).toBe(
      till.stats.sales + till.stats.refunds,
    );
  }

  // The receipt the OFD rejected is dead-lettered on its till and mirrored centrally.
  expect(summary.ofd.rejected).toBeGreaterThanOrEqual(1);
  const dlq = await query<{ items: { destination: string }[] }>(page, "dashboard.dlq.list", { state: "all" });
  expect(dlq.items.some((item) => item.destination === "ofd")).toBe(true);

  // The OFD outage shows on every till's breaker lane, and the tills that tripped together are one
  // outage. The till whose clock runs 3 minutes ahead reports its trip 3 minutes "later": the
  // timeline is each till's own clock (its skew is on Fleet), so it is not counted into the incident.
  const breakers = await query<{
    incidents: { kind: string; tillCount: number }[];
    lanes: { terminalId: string; states: string[] }[];
  }>(page, "dashboard.breakers.fleet", {
    from,
    // The till whose clock runs 3 minutes ahead stamps its transitions up to 3 minutes "from now".
    to: new Date(Date.now() + 10 * 60_000).toISOString(),
    destination: "ofd",
  });
  for (const till of summary.tills) {
    const lane = breakers.lanes.find((l) => l.terminalId === till.terminalId);
    expect(lane?.states, `till ${till.number}'s OFD breaker opened`).toContain("open");
  }
  expect(breakers.incidents.some((i) => i.kind === "outage" && i.tillCount >= TILLS - 1)).toBe(true);

  // Every closed shift is reconciled; Till 2's large variance waits for approval. Cash days are the
  // stores' own (Moscow, UTC+3): from yesterday to tomorrow in UTC holds the shops' today at any hour.
  const utcDay = (offsetDays: number) =>
    new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const shifts = await query<{ total: number; counts: { needsApproval: number } }>(
    page,
    "dashboard.cash.shifts",
    { dayFrom: utcDay(-1), dayTo: utcDay(1), pageSize: 100 },
  );
  const closed = summary.tills.reduce((sum, till) => sum + till.stats.shiftsClosed, 0);
  expect(closed).toBeGreaterThanOrEqual(TILLS);
  expect(shifts.total).toBeGreaterThanOrEqual(closed);
  expect(shifts.counts.needsApproval).toBeGreaterThanOrEqual(1);

  // Every till's real-user samples arrived.
  for (const till of summary.tills) {
    const rum = await query<{ metrics: { metric: string; count: number }[] }>(
      page,
      "dashboard.rum.overview",
      {
        from,
        to: now,
        terminalId: till.terminalId,
      },
    );
    expect(
      rum.metrics.reduce((sum, m) => sum + m.count, 0),
      `till ${till.number} RUM samples`,
    ).toBeGreaterThan(0);
  }

  // The OFD outage's alert fired and resolved.
  const alerts = await query<{
    items: { rule: string; destination: string | null; resolvedAt: string | null }[];
  }>(page, "dashboard.alerts.list", { state: "all", limit: 200 });
  const ofdAlerts = alerts.items.filter((a) => a.rule === "breaker_open" && a.destination === "ofd");
  expect(ofdAlerts.length, JSON.stringify(alerts.items)).toBeGreaterThan(0);
  expect(ofdAlerts.every((a) => a.resolvedAt !== null)).toBe(true);
});

test("every dashboard page shows the run", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const till = summary.tills[0]!;
  const pages: [string, string][] = [
    ["fleet", "/"],
    ["terminal", `/terminals/${till.terminalId}`],
    ["receipts", "/receipts"],
    ["dlq", "/dlq"],
    ["breakers", "/breakers"],
    ["cash", "/cash"],
    ["rum", "/rum"],
    ["alerts", "/alerts"],
    ["stores", "/stores"],
    ["tills", "/tills"],
    ["people", "/people"],
    ["settings", "/settings"],
    ["audit", "/audit"],
  ];
  for (const [name, path] of pages) {
    await page.goto(url(path));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(/something went wrong/i)).toHaveCount(0);
    await saveScreenshot(page, `demo-${name}`);
  }
  // The receipt detail, reached as a person would, from the till's receipts.
  const [receipt] = (
    await query<{ receipts: { id: string }[] }>(page, "dashboard.receipts.list", {
      terminalId: till.terminalId,
      limit: 1,
    })
  ).receipts;
  await page.goto(url(`/receipts?terminalId=${till.terminalId}`));
  await page.getByRole("link", { name: receipt!.id }).click();
  await expect(page.getByTestId("detail-total")).toBeVisible();
  await saveScreenshot(page, "demo-receipt");
  await expectNoSeriousA11yViolations(page);
});
