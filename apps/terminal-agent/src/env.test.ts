import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, type RawEnv } from "./env.ts";

const base = { KASSA_TERMINAL_ID: "till-1", KASSA_API_TOKEN: "0123456789abcdef", KASSA_KKT_EMULATOR: "1" };

describe("agent configuration", () => {
  it("applies docs/agent-api.md's defaults; no central settings = offline-only", () => {
    const config = parseConfig(base);
    expect(config).toMatchObject({
      port: 7071,
      dataDir: "./.kassa/agent",
      central: null,
      requireLogin: false,
    });
    expect(config.kkt).toEqual({ emulator: true, baud: 115200 });
  });

  it.each<[RawEnv, RegExp]>([
    [{ ...base, KASSA_TERMINAL_ID: undefined }, /^KASSA_TERMINAL_ID is required/],
    [{ ...base, KASSA_API_TOKEN: undefined }, /^KASSA_API_TOKEN is required/],
    [{ ...base, KASSA_API_TOKEN: "short" }, /^KASSA_API_TOKEN must be at least 16 characters/],
    [{ ...base, KASSA_PORT: "70000" }, /^KASSA_PORT must be a port number/],
    [{ ...base, KASSA_PORT: "abc" }, /^KASSA_PORT must be a port number/],
    [{ ...base, KASSA_KKT_EMULATOR: undefined }, /^KASSA_KKT_PORT is required/],
    [
      { ...base, KASSA_CENTRAL_URL: "not a url", KASSA_TERMINAL_KEY: "k" },
      /^KASSA_CENTRAL_URL must be a URL/,
    ],
    [{ ...base, KASSA_CENTRAL_URL: "http://127.0.0.1:3000" }, /^KASSA_TERMINAL_KEY is required together/],
    ...[
      "http://kassa.example.com",
      "http://192.168.1.10:3000",
      "http://127.0.0.1.example.com",
      "http://[::2]:3000",
      "ftp://127.0.0.1",
    ].map((url): [RawEnv, RegExp] => [
      { ...base, KASSA_CENTRAL_URL: url, KASSA_TERMINAL_KEY: "k" },
      /^KASSA_CENTRAL_URL must be https:\/\/ \(the terminal key travels with every call\); http:\/\/ only to a loopback host/,
    ]),
    [
      { ...base, KASSA_TAX_SYSTEM: "usn" },
      /^KASSA_TAX_SYSTEM must be one of osn, usn_income, usn_income_outcome, esn, patent/,
    ],
  ])("a bad setting stops the agent with one line naming it (%#)", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    try {
      parseConfig(env);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("takes the default tax system from KASSA_TAX_SYSTEM (osn when unset)", () => {
    expect(parseConfig(base).taxSystem).toBe("osn");
    expect(parseConfig({ ...base, KASSA_TAX_SYSTEM: "usn_income" }).taxSystem).toBe("usn_income");
    expect(parseConfig({ ...base, KASSA_TAX_SYSTEM: "patent" }, { taxSystem: "esn" }).taxSystem).toBe("esn");
  });

  it.each([
    "https://kassa.example.com",
    "http://127.0.0.1:3000",
    "http://127.8.9.10:3000",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://[::1]:3000",
  ])("accepts %s as KASSA_CENTRAL_URL (https, or http to a loopback host)", (url) => {
    expect(parseConfig({ ...base, KASSA_CENTRAL_URL: url, KASSA_TERMINAL_KEY: "k" }).central?.url).toBe(url);
  });

  it("enables sync with both central settings and a serial register", () => {
    const config = parseConfig({
      ...base,
      KASSA_KKT_EMULATOR: undefined,
      KASSA_KKT_PORT: "/dev/ttyUSB0",
      KASSA_KKT_BAUD: "57600",
      KASSA_CENTRAL_URL: "http://127.0.0.1:3000",
      KASSA_TERMINAL_KEY: "till-1.secret",
    });
    expect(config.central).toEqual({ url: "http://127.0.0.1:3000", terminalKey: "till-1.secret" });
    expect(config.kkt).toEqual({ emulator: false, port: "/dev/ttyUSB0", baud: 57600 });
  });
});
