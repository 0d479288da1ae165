import { describe, expect, it } from "vitest";
import {
  generateTerminalKey,
  hashTerminalSecret,
  issueTerminalCredential,
  parseTerminalKey,
  verifyTerminalKey,
} from "./terminal-credentials.ts";

describe("terminal credentials", () => {
  it("a key is <terminal id>.<43 base64url characters (32 bytes)>, different every time", () => {
    const a = generateTerminalKey("01JTERMINALA");
    const b = generateTerminalKey("01JTERMINALA");
    expect(a).toMatch(/^01JTERMINALA\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.split(".")[1]!, "base64url")).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it("verify accepts the right key and rejects a wrong one and another terminal's", () => {
    const mine = issueTerminalCredential("01JTERMINALA");
    const theirs = issueTerminalCredential("01JTERMINALB");
    expect(verifyTerminalKey(mine.key, mine.keyHash)).toBe(true);
    expect(verifyTerminalKey(theirs.key, mine.keyHash)).toBe(false);
    const secret = parseTerminalKey(mine.key)!.secret;
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(verifyTerminalKey(`01JTERMINALA.${flipped}`, mine.keyHash)).toBe(false);
  });

  it("stores only SHA-256 of the secret, never the key", () => {
    const { key, keyHash } = issueTerminalCredential("01JTERMINALA");
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyHash).toBe(hashTerminalSecret(parseTerminalKey(key)!.secret));
    expect(keyHash).not.toContain(parseTerminalKey(key)!.secret);
  });

  it("treats malformed keys and hashes as a plain no, not an exception", () => {
    const { keyHash } = issueTerminalCredential("01JTERMINALA");
    for (const key of ["", "no-dot", ".secretonly", "01JTERMINALA.short", `01JTERMINALA.${"!".repeat(43)}`]) {
      expect(parseTerminalKey(key)).toBeNull();
      expect(verifyTerminalKey(key, keyHash)).toBe(false);
    }
    const { key } = issueTerminalCredential("01JTERMINALA");
    expect(verifyTerminalKey(key, "not-a-hash")).toBe(false);
    expect(verifyTerminalKey(key, "")).toBe(false);
  });

  it("refuses a terminal id that would make the key ambiguous", () => {
    expect(() => generateTerminalKey("")).toThrow(TypeError);
    expect(() => generateTerminalKey("a.b")).toThrow(/"terminalId"/);
  });
});
