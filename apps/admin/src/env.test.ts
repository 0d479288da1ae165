import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseEnv } from "./env.ts";
import { findRepoRoot } from "./server/repo-root.ts";

const SECRET = "s".repeat(32);

describe("parseEnv", () => {
  it("defaults to embedded PGlite under the repo root, wherever the process was started", () => {
    const env = parseEnv({ KASSA_SESSION_SECRET: SECRET, DATABASE_URL: "" });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.centralDataDir).toBe(join(findRepoRoot(), ".kassa", "central-pg"));
    expect(env.maxBodyBytes).toBe(8 * 1024 * 1024);
  });

  it("keeps an absolute data directory and a PostgreSQL URL as given", () => {
    const env = parseEnv({
      KASSA_SESSION_SECRET: SECRET,
      KASSA_CENTRAL_DATA_DIR: "/var/lib/kassa/pg",
      DATABASE_URL: "postgresql://kassa:kassa@127.0.0.1:5432/kassa",
    });
    expect(env.centralDataDir).toBe("/var/lib/kassa/pg");
    expect(env.databaseUrl).toBe("postgresql://kassa:kassa@127.0.0.1:5432/kassa");
  });

  it("stops with one line naming the variable for a bad value", () => {
    expect(() => parseEnv({ KASSA_SESSION_SECRET: SECRET, DATABASE_URL: "mysql://x" })).toThrow(
      /^Kassa admin: environment variable DATABASE_URL .*postgres.*restart\.$/,
    );
    expect(() => parseEnv({ KASSA_SESSION_SECRET: "short" })).toThrow(
      /KASSA_SESSION_SECRET must be at least 32/,
    );
  });

  it("signs with a random per-process secret under next dev (with a warning), and refuses to start without one in production", () => {
    const warn = vi.fn();
    const dev = parseEnv({ NODE_ENV: "development" }, warn);
    expect(dev.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(dev.developmentSecret).toBe(true);
    // One per process, not one per evaluation (Next.js bundles evaluate env.ts more than once).
    expect(parseEnv({ NODE_ENV: "development" }, warn).sessionSecret).toBe(dev.sessionSecret);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("random per-process secret"));
    expect(parseEnv({ KASSA_SESSION_SECRET: SECRET }).developmentSecret).toBe(false);
    expect(() => parseEnv({ NODE_ENV: "production" }, warn)).toThrow(/KASSA_SESSION_SECRET is not set/);
  });

  it("trusts one proxy's X-Forwarded-For entry by default; 0 trusts none", () => {
    expect(parseEnv({ KASSA_SESSION_SECRET: SECRET }).trustedProxyHops).toBe(1);
    expect(parseEnv({ KASSA_SESSION_SECRET: SECRET, KASSA_TRUSTED_PROXY_HOPS: "0" }).trustedProxyHops).toBe(
      0,
    );
    expect(() => parseEnv({ KASSA_SESSION_SECRET: SECRET, KASSA_TRUSTED_PROXY_HOPS: "-1" })).toThrow(
      /KASSA_TRUSTED_PROXY_HOPS/,
    );
  });
});

describe("parseEnv: RUM and /metrics (issue 11)", () => {
  it("keeps RUM 90 days and has no metrics token by default; refuses a short token", () => {
    const env = parseEnv({ KASSA_SESSION_SECRET: SECRET });
    expect(env.rumRetentionDays).toBe(90);
    expect(env.metricsToken).toBeUndefined();
    expect(parseEnv({ KASSA_SESSION_SECRET: SECRET, KASSA_RUM_RETENTION_DAYS: "30" }).rumRetentionDays).toBe(
      30,
    );
    expect(() => parseEnv({ KASSA_SESSION_SECRET: SECRET, KASSA_METRICS_TOKEN: "short" })).toThrow(
      /KASSA_METRICS_TOKEN must be at least 16/,
    );
    expect(() => parseEnv({ KASSA_SESSION_SECRET: SECRET, KASSA_RUM_RETENTION_DAYS: "0" })).toThrow(
      /KASSA_RUM_RETENTION_DAYS/,
    );
  });
});
