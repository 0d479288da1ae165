import type { CentralDatabase, Role } from "@kassa/db/central";
import { seedOrganization, seedReceipt, seedStore, seedTerminal, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInContext } from "../auth/testing.ts";
import { createCallerFactory } from "../trpc.ts";
import { PERMISSIONS, type Permission, roleCan } from "./permissions.ts";
import { dashboardRouter } from "./router.ts";

// The permission table, walked for every dashboard procedure × every role: a procedure without a
// declared permission fails here, and each role is FORBIDDEN exactly where the table says. Then store
// scope: a manager of store 1 never receives a row of store 2, and a manager whose store list is
// empty receives no row of any store (fails closed) — checked on every procedure's answer.

const SECRET = "test-session-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T10:00:00Z");
const ROLES: Role[] = ["owner", "manager", "support"];
const createCaller = createCallerFactory(dashboardRouter);
const procedures = Object.entries(dashboardRouter._def.procedures as unknown as Record<string, AnyProcedure>);
let db: CentralDatabase;
const userOf = {} as Record<Role, string>;
/** A manager whose memberships' store list is empty: fails closed, so no store at all. */
let unscopedManager: string;
const stores = {} as Record<"s1" | "s2", string>;
const tills = {} as Record<"s1" | "s2", string>;
const receipts = {} as Record<"s1" | "s2", string>;

interface AnyProcedure {
  _def: { meta?: { permission?: string }; type: "query" | "mutation" | "subscription" };
}

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const org = await seedOrganization(db.prisma, { name: "Optika" });
  const store = await seedStore(db.prisma, { organizationId: org.id, name: "Store 1" });
  const other = await seedStore(db.prisma, { organizationId: org.id, name: "Store 2" });
  stores.s1 = store.id;
  stores.s2 = other.id;
  for (const key of ["s1", "s2"] as const) {
    const { terminal } = await seedTerminal(db.prisma, { organizationId: org.id, storeId: stores[key] });
    tills[key] = terminal.id;
    receipts[key] = (await seedReceipt(db.prisma, { terminal, acceptedAt: NOW })).id;
  }
  for (const role of ROLES) {
    const storeIds = role === "manager" ? [store.id] : [];
    userOf[role] = (await seedUser(db.prisma, { organizationId: org.id, role, storeIds })).user.id;
  }
  unscopedManager = (await seedUser(db.prisma, { organizationId: org.id, role: "manager", storeIds: [] }))
    .user.id;
}, 60_000);
afterAll(async () => db?.close());

function callerAs(userId: string) {
  return createCaller(signedInContext(db, userId, { secret: SECRET, now: () => NOW }));
}

/** The procedure at `path` of `caller`'s answer to `input`: its result (as text) or its error code. */
async function answer(
  userId: string,
  path: string,
  input?: unknown,
): Promise<{ code: string; text: string }> {
  let target: unknown = callerAs(userId);
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  try {
    const result = await (target as (input?: unknown) => Promise<unknown>)(input);
    return {
      code: "OK",
      text: JSON.stringify(result, (_, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "",
    };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? "ERROR", text: "" };
  }
}

async function call(role: Role, path: string): Promise<string> {
  // No input: a permitted role gets past the permission check (to a validation error at most).
  return (await answer(userOf[role], path)).code;
}

/** Every id of a store's rows a dashboard answer could carry. */
const idsOf = (key: "s1" | "s2") => [stores[key], tills[key], receipts[key]];

describe("the dashboard's permission table", { timeout: 60_000 }, () => {
  it("every procedure declares a permission the table knows", () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const [path, procedure] of procedures) {
      expect(procedure._def.meta?.permission, `${path} declares no permission`).toBeDefined();
      expect(Object.keys(PERMISSIONS), path).toContain(procedure._def.meta?.permission);
    }
  });

  it("says what product.md says: managers only look at the DLQ, support approves no cash variance", () => {
    expect(roleCan("manager", "dlq.act")).toBe(false);
    expect(roleCan("support", "dlq.act")).toBe(true);
    expect(roleCan("support", "cash.approve")).toBe(false);
    expect(roleCan("manager", "cash.approve")).toBe(true);
  });

  it.each(ROLES)("%s: FORBIDDEN exactly where the table says", async (role) => {
    for (const [path, procedure] of procedures) {
      const permission = procedure._def.meta?.permission as Permission;
      const code = await call(role, path);
      if (roleCan(role, permission)) expect(code, `${role} → ${path}`).not.toBe("FORBIDDEN");
      else expect(code, `${role} → ${path}`).toBe("FORBIDDEN");
    }
  });

  it("no session is UNAUTHORIZED everywhere", async () => {
    const anonymous = createCaller(signedInContext(db, null, { secret: SECRET, now: () => NOW }));
    for (const [path] of procedures) {
      let target: unknown = anonymous;
      for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
      await expect((target as (input?: unknown) => Promise<unknown>)(undefined), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
  });
});

describe("store scope", { timeout: 60_000 }, () => {
  const queries = () => procedures.filter(([, p]) => p._def.type === "query").map(([path]) => path);

  it("a manager of store 1 is answered about store 1 and never with a row of store 2, on every query", async () => {
    const fleet = await answer(userOf.manager, "fleet.list");
    expect(fleet.text).toContain(tills.s1);
    for (const path of queries()) {
      const { text } = await answer(userOf.manager, path);
      for (const id of idsOf("s2")) expect(text, `${path} leaks ${id}`).not.toContain(id);
    }
  });

  it("a manager whose store list is empty sees no store at all (fails closed), on every query", async () => {
    const me = await answer(unscopedManager, "me");
    expect(me.code).toBe("OK");
    expect(JSON.parse(me.text).stores).toEqual([]);
    for (const path of queries()) {
      const { text } = await answer(unscopedManager, path);
      for (const id of [...idsOf("s1"), ...idsOf("s2")])
        expect(text, `${path} leaks ${id}`).not.toContain(id);
    }
  });

  it.each([
    ["terminals.get", (key: "s1" | "s2") => ({ terminalId: tills[key] })],
    ["receipts.get", (key: "s1" | "s2") => ({ terminalId: tills[key], receiptId: receipts[key] })],
  ] as const)("%s: in scope answers, out of scope and empty scope are NOT_FOUND", async (path, input) => {
    expect((await answer(userOf.manager, path, input("s1"))).code).toBe("OK");
    expect((await answer(userOf.manager, path, input("s2"))).code).toBe("NOT_FOUND");
    expect((await answer(unscopedManager, path, input("s1"))).code).toBe("NOT_FOUND");
    // Organization-wide roles reach both stores.
    expect((await answer(userOf.owner, path, input("s2"))).code).toBe("OK");
    expect((await answer(userOf.support, path, input("s2"))).code).toBe("OK");
  });

  it("owners and support see every store of the organization", async () => {
    for (const role of ["owner", "support"] as const) {
      const me = JSON.parse((await answer(userOf[role], "me")).text) as { stores: { id: string }[] };
      expect(me.stores.map((s) => s.id).sort()).toEqual([stores.s1, stores.s2].sort());
    }
  });
});
