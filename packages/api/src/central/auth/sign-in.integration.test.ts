import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type CentralDatabase, createCentralDatabase } from "@kassa/db/central";
import { centralMigrationsDir, pgliteBackend, runMigrations } from "@kassa/db/migrate";
import { hashPassword } from "@kassa/db/secrets";
import { seedOrganization, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase, createThrowawayDatabase } from "@kassa/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "../../errors.ts";
import { createCentralContext } from "../context.ts";
import { dashboardRouter } from "../dashboard/router.ts";
import { createCallerFactory } from "../trpc.ts";
import { createKassaAuth, type KassaAuth, SESSION_COOKIE, signedSessionCookie } from "./kassa-auth.ts";
import { sessionFromHeaders } from "./session.ts";
import { clientAddress, signIn, signOut } from "./sign-in.ts";
import { revokeUserSessions, setUserPassword } from "./users.ts";

const SECRET = "sign-in-test-secret-0123456789abcdef-xyz";
const createCaller = createCallerFactory(dashboardRouter);
const browser = (address = "10.0.0.1") => ({
  headers: new Headers({ "user-agent": "vitest", "x-forwarded-for": address }),
  address,
});
/** The `Cookie` header a browser sends back after these `Set-Cookie`s. */
const cookieOf = (setCookies: string[]) =>
  setCookies
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => !c.endsWith("="))
    .join("; ");
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );

let db: CentralDatabase;
let auth: KassaAuth;
beforeAll(async () => {
  db = await createTestCentralDatabase();
  auth = createKassaAuth({ db, secret: SECRET });
}, 60_000);
afterAll(async () => db?.close());
afterEach(() => vi.useRealTimers());

function dashboardWith(cookie: string, kassaAuth: KassaAuth = auth) {
  return createCaller(createCentralContext({ db, headers: new Headers({ cookie }), auth: kassaAuth }));
}

describe("sessions", { timeout: 30_000 }, () => {
  it("signs in (email trimmed, any case) to a session row that the dashboard accepts", async () => {
    const org = await seedOrganization(db.prisma);
    const { user, password } = await seedUser(db.prisma, {
      organizationId: org.id,
      role: "owner",
      email: "owner@sessions.test",
    });
    const result = await signIn(auth, { email: " Owner@Sessions.TEST ", password }, browser());
    expect(result.user.id).toBe(user.id);
    const [cookie] = result.setCookies;
    expect(cookie).toMatch(/^kassa_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/);
    const me = await dashboardWith(cookieOf(result.setCookies)).me();
    expect(me.user.email).toBe("owner@sessions.test");
    expect(me.memberships).toEqual([expect.objectContaining({ role: "owner", storeIds: null })]);
    const row = await db.prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row).toMatchObject({ ipAddress: "10.0.0.1", userAgent: "vitest" });
  });

  it("over HTTPS the cookie is __Host-, Secure, and a plain-http cookie name is not read there", async () => {
    const { user, password } = await seedUser(db.prisma);
    const https = new Headers({ "x-forwarded-proto": "https" });
    const result = await signIn(auth, { email: user.email, password }, { headers: https, address: "1" });
    expect(result.setCookies[0]).toMatch(
      /^__Host-kassa_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    const value = cookieOf(result.setCookies).slice(`${SESSION_COOKIE.secure}=`.length);
    const secureHeaders = new Headers({ cookie: cookieOf(result.setCookies), "x-forwarded-proto": "https" });
    expect(await sessionFromHeaders(auth, secureHeaders)).toMatchObject({ userId: user.id });
    // The same token under the plain name, sent over https, is not a session.
    const renamed = new Headers({ cookie: `${SESSION_COOKIE.plain}=${value}`, "x-forwarded-proto": "https" });
    expect(await sessionFromHeaders(auth, renamed)).toBeNull();
  });

  it("signing out deletes the session: replaying the old cookie is refused", async () => {
    const { user, password } = await seedUser(db.prisma, { role: "owner" });
    const { setCookies } = await signIn(auth, { email: user.email, password }, browser());
    const cookie = cookieOf(setCookies);
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).not.toBeNull();
    const cleared = await signOut(auth, new Headers({ cookie }));
    expect(cleared.some((c) => c.startsWith("kassa_session=;") && c.includes("Max-Age=0"))).toBe(true);
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toBeNull();
    await expect(dashboardWith(cookie).me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a password change ends every session: the old cookie and the old password are refused", async () => {
    const { user, password } = await seedUser(db.prisma, { role: "owner" });
    const first = cookieOf((await signIn(auth, { email: user.email, password }, browser())).setCookies);
    const second = cookieOf(
      (await signIn(auth, { email: user.email, password }, browser("10.0.0.2"))).setCookies,
    );
    await setUserPassword(db, user.id, "a-new-password");
    for (const cookie of [first, second])
      expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toBeNull();
    expect((await errorOf(signIn(auth, { email: user.email, password }, browser())))?.kassaCode).toBe(
      "UNAUTHORIZED",
    );
    const again = await signIn(auth, { email: user.email, password: "a-new-password" }, browser());
    expect(
      await sessionFromHeaders(auth, new Headers({ cookie: cookieOf(again.setCookies) })),
    ).not.toBeNull();
  });

  it("revoking a member's sessions (removal) refuses their cookie on another instance at once", async () => {
    const { user, password } = await seedUser(db.prisma, { role: "owner" });
    const cookie = cookieOf((await signIn(auth, { email: user.email, password }, browser())).setCookies);
    const otherInstance = createKassaAuth({ db, secret: SECRET });
    await expect(dashboardWith(cookie, otherInstance).me()).resolves.toBeDefined();
    await revokeUserSessions(db, user.id);
    await expect(dashboardWith(cookie, otherInstance).me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a forged cookie, one signed with another secret, an expired session, and a server without sign-in", async () => {
    const { user, password } = await seedUser(db.prisma, { role: "owner" });
    const { setCookies } = await signIn(auth, { email: user.email, password }, browser());
    const cookie = cookieOf(setCookies);
    const token = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".")[0] ?? "";
    const refused = async (header: string) =>
      expect(await sessionFromHeaders(auth, new Headers({ cookie: header }))).toBeNull();
    await refused(`${SESSION_COOKIE.plain}=${token}`);
    await refused(signedSessionCookie(token, "another-secret-0123456789abcdef-0000"));
    await refused(`${SESSION_COOKIE.plain}=${encodeURIComponent(`${token}x.${cookie.split(".").at(-1)}`)}`);
    const agentsOnly = createCaller(createCentralContext({ db, headers: new Headers({ cookie }) }));
    await expect(agentsOnly.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await db.prisma.session.updateMany({
      where: { token },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await refused(cookie);
  });

  it("answers malformed input with field errors and refuses an out-of-bounds stored hash like a wrong password", async () => {
    const invalid = await errorOf(signIn(auth, { email: "not-an-email", password: "" }, browser()));
    expect(invalid).toMatchObject({
      kassaCode: "VALIDATION_FAILED",
      fieldErrors: { email: [expect.any(String)], password: [expect.any(String)] },
    });
    const { user, password } = await seedUser(db.prisma);
    // N = 2^30 would take gigabytes per check: it is never computed.
    await db.prisma.account.updateMany({
      where: { userId: user.id },
      data: { password: `scrypt$1073741824$8$1$${"A".repeat(24)}$${"A".repeat(88)}` },
    });
    expect((await errorOf(signIn(auth, { email: user.email, password }, browser())))?.kassaCode).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("better-auth's refusals", () => {
  it("are recognised when its error class comes from another copy of the module (as in the Next.js bundle)", async () => {
    class APIError extends Error {
      override name = "APIError";
      statusCode = 401;
    }
    const foreign = {
      ...auth,
      forRequest: () =>
        ({
          api: {
            signInEmail: () => Promise.reject(new APIError("Invalid email or password")),
          },
        }) as unknown as ReturnType<KassaAuth["forRequest"]>,
    };
    const error = await errorOf(
      signIn(foreign, { email: "copy@example.test", password: "whatever" }, browser("10.7.0.1")),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error?.kassaCode).toBe("UNAUTHORIZED");
  });
});

describe("no user enumeration", () => {
  it("an unknown email gets the same answer as a wrong password, in a similar time", async () => {
    const { user } = await seedUser(db.prisma);
    const quiet = createKassaAuth({
      db,
      secret: SECRET,
      throttle: { accountFailures: 100, addressFailures: 100 },
    });
    const timed = async (email: string) => {
      const started = performance.now();
      const error = await errorOf(signIn(quiet, { email, password: "wrong-password" }, browser("10.9.9.9")));
      return { ms: performance.now() - started, code: error?.kassaCode, message: error?.message };
    };
    const runs = { known: [] as number[], unknown: [] as number[] };
    let answers = new Set<string>();
    for (let i = 0; i < 3; i++) {
      for (const [kind, email] of [
        ["known", user.email],
        ["unknown", `nobody-${i}@example.test`],
      ] as const) {
        const { ms, code, message } = await timed(email);
        runs[kind].push(ms);
        answers = answers.add(`${code}: ${message}`);
      }
    }
    expect([...answers]).toEqual(["UNAUTHORIZED: The email or password is wrong. Check both and try again."]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0;
    // Both run one scrypt at N=2^17 (hundreds of ms); a path without it would be ~100× faster.
    const ratio = median(runs.unknown) / median(runs.known);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  }, 60_000);
});

describe("throttling", () => {
  const limits = { accountFailures: 3, addressFailures: 5, firstBlockSeconds: 60, maxBlockSeconds: 600 };

  /** Two central instances over one database: two pools on PostgreSQL, one PGlite otherwise. */
  async function twoInstances(): Promise<{
    a: KassaAuth;
    b: KassaAuth;
    dbA: CentralDatabase;
    close(): Promise<void>;
  }> {
    const serverUrl = process.env.TEST_DATABASE_URL;
    if (!serverUrl) {
      return {
        a: createKassaAuth({ db, secret: SECRET, throttle: limits }),
        b: createKassaAuth({ db, secret: SECRET, throttle: limits }),
        dbA: db,
        close: async () => {},
      };
    }
    const throwaway = await createThrowawayDatabase(serverUrl);
    const quiet = { shared: false, log: () => {}, poolSize: 2 } as const;
    const dbA = await createCentralDatabase({ url: throwaway.url, ...quiet });
    const dbB = await createCentralDatabase({ url: throwaway.url, ...quiet });
    return {
      a: createKassaAuth({ db: dbA, secret: SECRET, throttle: limits }),
      b: createKassaAuth({ db: dbB, secret: SECRET, throttle: limits }),
      dbA,
      close: async () => {
        await dbA.close();
        await dbB.close();
        await throwaway.drop();
      },
    };
  }

  it("counts an account's failures across instances, blocks with the wait, and doubles the block next time", async () => {
    const { a, b, dbA, close } = await twoInstances();
    try {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-01T10:00:00Z") });
      const { user, password } = await seedUser(dbA.prisma);
      const wrong = (kassaAuth: KassaAuth, address: string) =>
        errorOf(signIn(kassaAuth, { email: user.email, password: "nope-nope" }, browser(address)));
      expect((await wrong(a, "10.1.0.1"))?.kassaCode).toBe("UNAUTHORIZED");
      expect((await wrong(b, "10.1.0.2"))?.kassaCode).toBe("UNAUTHORIZED");
      const third = await wrong(a, "10.1.0.3");
      expect(third).toMatchObject({ kassaCode: "USER_LOCKED", retryAfterSeconds: 60 });
      expect(third?.message).toBe(
        "Too many failed sign-ins for this account or from this network. Wait 60 seconds and try again.",
      );
      // The right password from another instance and address is refused too, unchecked, while blocked.
      vi.setSystemTime(new Date("2026-12-01T10:00:30Z"));
      const blocked = await errorOf(signIn(b, { email: user.email, password }, browser("10.1.0.9")));
      expect(blocked).toMatchObject({ kassaCode: "USER_LOCKED", retryAfterSeconds: 30 });

      // After the block: three more failures block for twice as long.
      vi.setSystemTime(new Date("2026-12-01T10:01:01Z"));
      await wrong(b, "10.1.0.1");
      await wrong(a, "10.1.0.1");
      expect(await wrong(b, "10.1.0.1")).toMatchObject({ kassaCode: "USER_LOCKED", retryAfterSeconds: 120 });
      expect((await wrong(a, "10.1.0.1"))?.message).toContain("Wait 2 minutes");

      // Once it ends the right password signs in and the account's count starts again.
      // (From a fresh address: every attempt from 10.1.0.1, refused ones too, counted for it.)
      vi.setSystemTime(new Date("2026-12-01T10:03:02Z"));
      await expect(signIn(a, { email: user.email, password }, browser("10.1.0.7"))).resolves.toBeDefined();
      expect((await wrong(b, "10.1.0.8"))?.kassaCode).toBe("UNAUTHORIZED");
    } finally {
      vi.useRealTimers();
      await close();
    }
  }, 120_000);

  it("blocks an address that tries many accounts, unknown ones included, and not other addresses", async () => {
    const { a, b, close } = await twoInstances();
    try {
      const emails = ["a1@x.test", "a2@x.test", "a3@x.test", "a4@x.test", "a5@x.test"];
      for (const [i, email] of emails.entries()) {
        const error = await errorOf(
          signIn(i % 2 ? a : b, { email, password: "wrong-pw" }, browser("10.2.0.1")),
        );
        expect(error?.kassaCode, email).toBe(i < 4 ? "UNAUTHORIZED" : "USER_LOCKED");
      }
      const sixth = await errorOf(
        signIn(a, { email: "a6@x.test", password: "wrong-pw" }, browser("10.2.0.1")),
      );
      expect(sixth).toMatchObject({ kassaCode: "USER_LOCKED" });
      const elsewhere = await errorOf(
        signIn(b, { email: "a6@x.test", password: "wrong-pw" }, browser("10.2.0.2")),
      );
      expect(elsewhere?.kassaCode).toBe("UNAUTHORIZED");
    } finally {
      await close();
    }
  }, 120_000);

  it("counts parallel guesses before checking them: 20 at once, the right one last, sign nobody in", async () => {
    // Security review A1: a throttle read before and written after the password check let every
    // request in flight pass the read (19 wrong guesses, then in).
    const racing = createKassaAuth({ db, secret: SECRET });
    const { user, password } = await seedUser(db.prisma, { email: "victim@race.test" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signIn(
          racing,
          { email: user.email, password: i === 19 ? password : `guess-${i}` },
          browser(`10.3.0.${i}`),
        ).then(
          () => "OK",
          (error: AppError) => error.kassaCode,
        ),
      ),
    );
    expect(answers).not.toContain("OK");
    // At most the limit of them reached the password check; the rest were refused unchecked.
    expect(answers.filter((a) => a === "UNAUTHORIZED").length).toBeLessThanOrEqual(4);
    expect(answers.filter((a) => a === "USER_LOCKED").length).toBeGreaterThanOrEqual(16);
  }, 120_000);

  it("keeps no email or address in the table (keys are hashes)", async () => {
    const rows = await db.sql.query<{ key: string }>("SELECT key FROM sign_in_throttle");
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).not.toMatch(/@|10\.\d/);
  });

  it("takes the client address from the entry the trusted proxies wrote, and none without a trusted proxy", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.9, 1.1.1.1, 10.0.0.7" });
    expect(clientAddress(headers, 1)).toBe("10.0.0.7");
    expect(clientAddress(headers, 2)).toBe("1.1.1.1");
    // Security review A2: without a proxy that writes the header, a client writes all of it.
    expect(clientAddress(headers, 0)).toBeNull();
    expect(clientAddress(new Headers(), 1)).toBeNull();
  });

  it("with no client address only the account limit applies", async () => {
    const noAddress = createKassaAuth({ db, secret: SECRET, throttle: { addressFailures: 1 } });
    for (const email of ["n1@x.test", "n2@x.test", "n3@x.test"]) {
      const error = await errorOf(
        signIn(noAddress, { email, password: "wrong-pw" }, { headers: new Headers(), address: null }),
      );
      expect(error?.kassaCode, email).toBe("UNAUTHORIZED");
    }
  });
});

describe("existing users", () => {
  it("sign in with the password they had before the move to better-auth (migration 20261201110000_auth)", async () => {
    // A database at the migration before this one, with a user as the old sign-in stored them.
    const root = mkdtempSync(join(tmpdir(), "kassa-auth-migration-"));
    const before = join(root, "migrations");
    const dataDir = join(root, "pg");
    try {
      for (const name of readdirSync(centralMigrationsDir)) {
        if (name < "20261201110000" || name === "migration_lock.toml") {
          cpSync(join(centralMigrationsDir, name), join(before, name), { recursive: true });
        }
      }
      const pglite = await PGlite.create(dataDir);
      await runMigrations({ backend: pgliteBackend(pglite), dir: before, log: () => {} });
      await pglite.query(
        `INSERT INTO users (id, email, name, password_hash) VALUES ('01OLDUSER', 'old@example.test', 'Old', $1)`,
        [await hashPassword("the-old-password")],
      );
      await pglite.close();
      // Opening it as the server does applies the rest, this migration included.
      const migrated = await createCentralDatabase({ dataDir, shared: false, log: () => {} });
      try {
        const migratedAuth = createKassaAuth({ db: migrated, secret: SECRET });
        const email = "old@example.test";
        const result = await signIn(migratedAuth, { email, password: "the-old-password" }, browser());
        expect(result.user.id).toBe("01OLDUSER");
        const wrong = await errorOf(signIn(migratedAuth, { email, password: "other-password" }, browser()));
        expect(wrong?.kassaCode).toBe("UNAUTHORIZED");
      } finally {
        await migrated.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
