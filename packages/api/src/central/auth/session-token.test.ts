import { describe, expect, it } from "vitest";
import { readCookie } from "./cookie.ts";
import { createSessionToken, readSessionToken } from "./session-token.ts";

const SECRET = "x".repeat(32);
const now = new Date("2026-11-22T10:00:00Z");
const session = { userId: "01USER", expiresAt: new Date("2026-11-22T12:00:00Z") };

describe("session tokens", () => {
  it("round-trips a session signed with the same secret", () => {
    expect(readSessionToken(createSessionToken(session, SECRET), SECRET, now)).toEqual(session);
  });

  it("refuses a token whose payload was changed (another user id)", () => {
    const token = createSessionToken(session, SECRET);
    const signature = token.split(".")[1];
    const forged = `${Buffer.from(JSON.stringify({ u: "01ADMIN", e: session.expiresAt.getTime() })).toString("base64url")}.${signature}`;
    expect(readSessionToken(forged, SECRET, now)).toBeNull();
  });

  it("refuses a token signed with another secret, a truncated one, and garbage", () => {
    const token = createSessionToken(session, SECRET);
    expect(readSessionToken(token, "y".repeat(32), now)).toBeNull();
    expect(readSessionToken(token.slice(0, -2), SECRET, now)).toBeNull();
    expect(readSessionToken("not-a-token", SECRET, now)).toBeNull();
    expect(readSessionToken(`${token}.extra`, SECRET, now)).toBeNull();
  });

  it("refuses an expired token", () => {
    const token = createSessionToken(session, SECRET);
    expect(readSessionToken(token, SECRET, new Date("2026-11-22T12:00:00Z"))).toBeNull();
  });
});

describe("readCookie", () => {
  it("finds one cookie among several", () => {
    expect(readCookie("a=1; kassa_session=abc.def; b=2", "kassa_session")).toBe("abc.def");
    expect(readCookie("a=1", "kassa_session")).toBeUndefined();
    expect(readCookie(null, "kassa_session")).toBeUndefined();
  });
});
