import { describe, expect, it } from "vitest";
import { metricsAccess } from "./access.ts";

const TOKEN = "metrics-token-0123456789";

describe("metricsAccess", () => {
  it("needs the configured bearer token, compared whole", () => {
    const env = { metricsToken: TOKEN, nodeEnv: "production" };
    expect(metricsAccess(`Bearer ${TOKEN}`, env)).toBe("ok");
    expect(metricsAccess(null, env)).toBe("unauthorized");
    expect(metricsAccess(`Bearer ${TOKEN.slice(0, -1)}`, env)).toBe("unauthorized");
    expect(metricsAccess(`Bearer ${TOKEN}x`, env)).toBe("unauthorized");
    expect(metricsAccess(TOKEN, env)).toBe("unauthorized");
  });

  it("without a token: open in development, hidden in production", () => {
    expect(metricsAccess(null, { metricsToken: undefined, nodeEnv: "development" })).toBe("ok");
    expect(metricsAccess(`Bearer ${TOKEN}`, { metricsToken: undefined, nodeEnv: "production" })).toBe(
      "disabled",
    );
  });
});
