import type { CentralDatabase, Role } from "@kassa/db/central";
import { seedOrganization, seedStore, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../auth/cookie.ts";
import { createSessionToken } from "../auth/session-token.ts";
import { createCentralContext } from "../context.ts";
import { createCallerFactory } from "../trpc.ts";
import { PERMISSIONS, type Permission, roleCan } from "./permissions.ts";
import { dashboardRouter } from "./router.ts";

// The permission table, walked for every dashboard procedure × every role: a procedure without a
// declared permission fails here, and each role is FORBIDDEN exactly where the table says.

const SECRET = "test-session-secret-0123456789abcdef";
const NOW = new Date("2026-11-22T10:00:00Z");
const ROLES: Role[] = ["owner", "manager", "support"];
const createCaller = createCallerFactory(dashboardRouter);
const procedures = Object.entries(dashboardRouter._def.procedures as unknown as Record<string, AnyProcedure>);
let db: CentralDatabase;
const userOf = {} as Record<Role, string>;

interface AnyProcedure {
  _def: { meta?: { permission?: string }; type: "query" | "mutation" | "subscription" };
}

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const org = await seedOrganization(db.prisma, { name: "Optika" });
  const store = await seedStore(db.prisma, { organizationId: org.id, name: "Store 1" });
  for (const role of ROLES) {
    const storeIds = role === "manager" ? [store.id] : [];
    userOf[role] = (await seedUser(db.prisma, { organizationId: org.id, role, storeIds })).user.id;
  }
}, 60_000);
afterAll(async () => db?.close());

function callerAs(role: Role) {
  const token = createSessionToken(
    { userId: userOf[role], expiresAt: new Date(NOW.getTime() + 3600_000) },
    SECRET,
  );
  const headers = new Headers({ cookie: `${SESSION_COOKIE}=${token}` });
  return createCaller(createCentralContext({ db, headers, sessionSecret: SECRET, now: () => NOW }));
}

async function call(role: Role, path: string): Promise<string> {
  let target: unknown = callerAs(role);
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  try {
    // No input: a permitted role gets past the permission check (to a validation error at most).
    await (target as (input?: unknown) => Promise<unknown>)(undefined);
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? "ERROR";
  }
}

describe("the dashboard's permission table", () => {
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
    const anonymous = createCaller(
      createCentralContext({ db, headers: new Headers(), sessionSecret: SECRET, now: () => NOW }),
    );
    for (const [path] of procedures) {
      let target: unknown = anonymous;
      for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
      await expect((target as (input?: unknown) => Promise<unknown>)(undefined), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
  });
});
