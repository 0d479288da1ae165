import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env.ts";

// KASSA_RUM_MAX_SAMPLES and KASSA_RUM_SAMPLE_RATE (docs/agent-api.md, Configuration).
const base = { KASSA_TERMINAL_ID: "till-1", KASSA_API_TOKEN: "0123456789abcdef", KASSA_KKT_EMULATOR: "1" };

describe("RUM configuration", () => {
  it("defaults to 50,000 samples kept and no sampling", () => {
    expect(parseConfig(base).rum).toEqual({ maxSamples: 50_000, sampleRate: 1 });
  });

  it("takes a bound and a share", () => {
    expect(
      parseConfig({ ...base, KASSA_RUM_MAX_SAMPLES: "2000", KASSA_RUM_SAMPLE_RATE: "0.25" }).rum,
    ).toEqual({
      maxSamples: 2000,
      sampleRate: 0.25,
    });
  });

  it.each([
    ["KASSA_RUM_MAX_SAMPLES", "lots", "must be a whole number of samples"],
    ["KASSA_RUM_MAX_SAMPLES", "10", "must be at least 100"],
    ["KASSA_RUM_MAX_SAMPLES", "1.5", "must be a whole number of samples"],
    ["KASSA_RUM_SAMPLE_RATE", "1.5", "must be a share between 0 and 1"],
    ["KASSA_RUM_SAMPLE_RATE", "-0.1", "must be a share between 0 and 1"],
  ])("refuses %s=%s with one line naming it", (name, value, message) => {
    expect(() => parseConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, [name]: value })).toThrow(new RegExp(`^${name} ${message}`));
  });
});
