import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKassaAuth, type KassaAuth, SESSION_COOKIE, signedSessionCookie } from "./kassa-auth.ts";
import { sessionFromHeaders, signedToken } from "./session.ts";
import { betterAuthSession, testSessionCookie } from "./testing.ts";
import { revokeUserSessions } from "./users.ts";

const SECRET = "session-test-secret-0123456789abcdef-xyz";
const OTHER_SECRET = "another-secret-0123456789abcdef-0000";

let db: CentralDatabase;
let auth: KassaAuth;
beforeAll(async () => {
  db = await createTestCentralDatabase();
  auth = createKassaAuth({ db, secret: SECRET });
}, 60_000);
afterAll(async () => db?.close());

const cookieText = (cookie: string) => cookie.slice(cookie.indexOf("=") + 1);
const tokenOf = (cookie: string) => decodeURIComponent(cookieText(cookie)).split(".")[0] ?? "";
const https = { "x-forwarded-proto": "https" };

describe("sessionFromHeaders", { timeout: 30_000 }, () => {
  it("answers as better-auth's getSession for valid, tampered, unsigned, misnamed and oddly written cookies", async () => {
    const { user } = await seedUser(db.prisma);
    const cookie = await testSessionCookie(db, user.id, SECRET);
    const secure = await testSessionCookie(db, user.id, SECRET, { secure: true });
    const token = tokenOf(cookie);
    const signature = decodeURIComponent(cookieText(cookie)).split(".")[1] ?? "";
    const plain = SESSION_COOKIE.plain;
    const cases: [string, Record<string, string>][] = [
      [cookie, {}],
      [secure, https],
      // The plain name over https and the __Host- name over http are not the session cookie there.
      [`${plain}=${cookieText(secure)}`, https],
      [`${SESSION_COOKIE.secure}=${cookieText(cookie)}`, {}],
      [`${plain}=${token}`, {}],
      [`${plain}=${token}.`, {}],
      [`${plain}=.${signature}`, {}],
      [signedSessionCookie(token, OTHER_SECRET), {}],
      [`${plain}=${encodeURIComponent(`${token}x.${signature}`)}`, {}],
      [`${plain}=${encodeURIComponent(`${token}.${signature.slice(0, -2)}A=`)}`, {}],
      [`${plain}=${token}.${signature}`, {}],
      [`${plain}="${cookieText(cookie)}"`, {}],
      [`  ${plain} = ${cookieText(cookie)} ; theme=dark`, {}],
      [`theme=dark; ${cookie}; other=1`, {}],
      [`flag; ${cookie}`, {}],
      // The first of a name counts.
      [`${cookie}; ${plain}=${token}`, {}],
      [`${plain}=${token}; ${cookie}`, {}],
      [`${plain}=%E0%A4%A; ${cookie}`, {}],
      [`${plain}=${cookieText(cookie)}%`, {}],
      [`${plain}=`, {}],
      [`kassa_session_data=abc; ${cookie}`, {}],
      ["", {}],
    ];
    for (const [header, extra] of cases) {
      const headers = new Headers({ ...extra, ...(header ? { cookie: header } : {}) });
      const expected = await betterAuthSession(auth, headers);
      expect({ header, session: await sessionFromHeaders(auth, headers) }).toEqual({
        header,
        session: expected,
      });
    }
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toMatchObject({ userId: user.id });
    expect(await sessionFromHeaders(auth, new Headers({ cookie: secure, ...https }))).toMatchObject({
      userId: user.id,
    });
  });

  it("refuses a revoked session at once, on another instance too", async () => {
    const { user } = await seedUser(db.prisma);
    const cookie = await testSessionCookie(db, user.id, SECRET);
    const otherInstance = createKassaAuth({ db, secret: SECRET });
    expect(await sessionFromHeaders(otherInstance, new Headers({ cookie }))).toMatchObject({
      userId: user.id,
    });
    await revokeUserSessions(db, user.id);
    expect(await sessionFromHeaders(otherInstance, new Headers({ cookie }))).toBeNull();
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toBeNull();
  });

  it("refuses an expired session and removes its row, as better-auth does", async () => {
    const { user } = await seedUser(db.prisma);
    const cookie = await testSessionCookie(db, user.id, SECRET);
    const token = tokenOf(cookie);
    const row = await db.prisma.session.findUniqueOrThrow({ where: { token } });
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toEqual({
      userId: user.id,
      sessionId: row.id,
      expiresAt: row.expiresAt,
    });
    await db.prisma.session.update({ where: { token }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toBeNull();
    expect(await db.prisma.session.count({ where: { token } })).toBe(0);
  });

  it("refuses the session of a user who was removed", async () => {
    const { user } = await seedUser(db.prisma);
    const cookie = await testSessionCookie(db, user.id, SECRET);
    await db.prisma.membership.deleteMany({ where: { userId: user.id } });
    await db.prisma.user.delete({ where: { id: user.id } });
    expect(await sessionFromHeaders(auth, new Headers({ cookie }))).toBeNull();
  });
});

describe("signedToken", () => {
  it("gives the token of a cookie signed with the secret, and null for anything else", () => {
    const cookie = signedSessionCookie("tok", SECRET);
    expect(signedToken(cookie, SESSION_COOKIE.plain, SECRET)).toBe("tok");
    expect(signedToken(cookie, SESSION_COOKIE.plain, OTHER_SECRET)).toBeNull();
    expect(signedToken(cookie, SESSION_COOKIE.secure, SECRET)).toBeNull();
    expect(signedToken(null, SESSION_COOKIE.plain, SECRET)).toBeNull();
    // A signature of the right length with a character of more than one byte: refused, not thrown.
    const value = decodeURIComponent(cookieText(cookie));
    const multibyte = `${value.slice(0, -2)}é=`;
    expect(
      signedToken(`${SESSION_COOKIE.plain}=${encodeURIComponent(multibyte)}`, SESSION_COOKIE.plain, SECRET),
    ).toBeNull();
  });
});
