import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
import { TEST_SESSION_SECRET, testSessionCookie } from "@kassa/api/central/auth";
import type { TReportWebVitalsInput } from "@kassa/api/central/dashboard";
import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleBeacon, MAX_BEACON_BYTES } from "./beacon.ts";

// POST /api/rum as the route runs it (handleBeacon + the central caller), on PGlite: a signed-in
// beacon is stored, everything else is a typed 4xx that stores nothing.

let db: CentralDatabase;
let cookie: string;
const createCaller = createCallerFactory(centralRouter);

beforeAll(async () => {
  db = await createTestCentralDatabase({ serverUrl: "" });
  const { user } = await seedUser(db.prisma, { role: "owner" });
  cookie = await testSessionCookie(db, user.id);
}, 60_000);
afterAll(() => db?.close());

function post(body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request("http://kassa.test/api/rum", {
    method: "POST",
    body,
    headers: {
      host: "kassa.test",
      origin: "http://kassa.test",
      "content-type": "application/json",
      ...headers,
    },
  });
  return handleBeacon(request, (input) =>
    createCaller(
      createCentralContext({ db, headers: request.headers, sessionSecret: TEST_SESSION_SECRET }),
    ).dashboard.rum.report(input as TReportWebVitalsInput),
  );
}
const stored = async () =>
  Number((await db.sql.query<{ n: bigint }>("SELECT count(*) AS n FROM rum_samples"))[0]?.n ?? 0);
const beacon = (id: string) =>
  JSON.stringify({
    vitals: [{ name: "INP", value: 120, rating: "good", id, navigationType: "navigate" }],
    page: "/cash",
  });

describe("POST /api/rum", () => {
  it("stores a signed-in user's vitals", async () => {
    const answer = await post(beacon("v5-1"), { cookie });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await stored()).toBe(1);
  });

  it("refuses without a session, from another origin, too large, not JSON, or not vitals — storing nothing", async () => {
    const cases: [Response, number, string][] = [
      [await post(beacon("v5-2")), 401, "UNAUTHORIZED"],
      [await post(beacon("v5-3"), { cookie, origin: "https://evil.example" }), 403, "FORBIDDEN"],
      [await post("x".repeat(MAX_BEACON_BYTES + 1), { cookie }), 413, "PAYLOAD_TOO_LARGE"],
      [await post("{not json", { cookie }), 400, "VALIDATION_FAILED"],
      [
        await post(JSON.stringify({ vitals: [{ name: "LCP", value: "fast" }], page: "/" }), { cookie }),
        400,
        "BAD_REQUEST",
      ],
    ];
    for (const [answer, status, code] of cases) {
      expect(answer.status).toBe(status);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await stored()).toBe(1);
  });
});
