import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCentralContext } from "../context.ts";
import { centralRouter } from "../router.ts";
import { hlcAt } from "../sync/sample-receipts.ts";
import { terminalStatusItem } from "../sync/sample-terminal-status.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";

// Issue 13: the register family (shtrih | atol) travels in the till's status snapshot and Fleet
// shows it with the model; snapshots of agents that predate the field still ingest (family null).

const createCaller = createCallerFactory(centralRouter);
const now = new Date("2026-12-01T09:00:00Z");
let db: CentralDatabase;
let dispose: () => Promise<void>;
let tills: SeededTerminal[];
let ownerId: string;

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  tills = await seedFleet(db, { stores: 1, perStore: 2 });
  ownerId = (await seedUser(db.prisma, { organizationId: tills[0]!.organizationId, role: "owner" })).user.id;
}, 60_000);

afterAll(async () => {
  await dispose?.();
});

async function push(till: SeededTerminal, item: ReturnType<typeof terminalStatusItem>) {
  const caller = createCaller(
    createCentralContext({
      db,
      headers: new Headers({ authorization: `Bearer ${till.key}` }),
      now: () => now,
    }),
  );
  const answer = await caller.ingest.push({
    terminalId: till.id,
    holder: `agent-${till.id}`,
    leaseToken: null,
    sentAtMs: now.getTime(),
    hlc: hlcAt(now.getTime()),
    items: [item],
  });
  return answer.results[0]!.status;
}

it("stores the family with the snapshot and shows it on the fleet list and the terminal page", async () => {
  const [atol, old] = tills as [SeededTerminal, SeededTerminal];
  const snapshot = terminalStatusItem(now.getTime() - 5_000, {
    register: { model: "АТОЛ 30Ф", fnNumber: "9999078900004312", firmware: "5.8.100", family: "atol" },
  });
  expect(await push(atol, snapshot)).toBe("accepted");
  expect(await push(old, terminalStatusItem(now.getTime() - 5_000))).toBe("accepted");

  const dashboard = createCaller(
    signedInContext(db, ownerId, { secret: "test-session-secret-0123456789abcdef", now: () => now }),
  ).dashboard;
  const list = (await dashboard.fleet.list()).terminals;
  expect(list.find((t) => t.id === atol.id)!.register).toEqual({
    model: "АТОЛ 30Ф",
    fnNumber: "9999078900004312",
    firmware: "5.8.100",
    family: "atol",
  });
  expect(list.find((t) => t.id === old.id)!.register.family).toBeNull();
  expect((await dashboard.terminals.get({ terminalId: atol.id })).register.family).toBe("atol");
});

it("refuses a family Kassa does not know: the batch is bad input, nothing stored", async () => {
  const bad = terminalStatusItem(now.getTime() - 1_000, {
    register: { model: null, fnNumber: null, firmware: null, family: "evotor" as never },
  });
  await expect(push(tills[1]!, bad)).rejects.toThrow(/"family"[\s\S]*Invalid option/);
});
