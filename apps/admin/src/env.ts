import { randomBytes } from "node:crypto";
import { z } from "zod";
import { resolveFromRepoRoot } from "./server/repo-root.ts";

// The only module that reads process.env (style guide, "Configuration"). Parsed lazily, once, so
// `next build` can import route modules without a production secret being set.

// Without KASSA_SESSION_SECRET (next dev only) cookies are signed with a random secret made once per
// process — never a constant in the repository — so development sessions end when the server
// restarts. On globalThis because Next.js may evaluate this module once per bundle.
const devSecretHolder = globalThis as typeof globalThis & { __kassaDevSessionSecret?: string };
function developmentSessionSecret(): string {
  devSecretHolder.__kassaDevSessionSecret ??= randomBytes(32).toString("hex");
  return devSecretHolder.__kassaDevSessionSecret;
}

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** PostgreSQL URL; unset or empty = embedded PGlite in KASSA_CENTRAL_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
    ),
  /** PGlite directory: absolute, or relative to the repo root. */
  KASSA_CENTRAL_DATA_DIR: z.string().min(1).default("./.kassa/central-pg"),
  /** Signs dashboard session cookies; at least 32 characters. */
  KASSA_SESSION_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    .optional(),
  /** Largest accepted tRPC request body, compressed and decompressed alike, in bytes. Default 8 MiB. */
  /**
   * How many proxies in front of Kassa append to X-Forwarded-For (the sign-in throttle's client
   * address is the entry the outermost one wrote). 0: none trusted — a client could write the
   * header itself — so sign-in is throttled per account only.
   */
  KASSA_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
  KASSA_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** How often this instance evaluates alerts, in ms. Default 60000 (e2e runs it faster). */
  KASSA_ALERT_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * Bearer token for GET /metrics (Prometheus). Unset: /metrics answers in development and test
   * only; in production it is 404 until a token is set (at least 16 characters).
   */
  KASSA_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Days of RUM samples kept (whole day partitions are dropped after). Default 90. */
  KASSA_RUM_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export interface AdminEnv {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  centralDataDir: string;
  sessionSecret: string;
  /**
   * True when KASSA_SESSION_SECRET is unset and the public development secret signs cookies: only
   * `next dev`, and proxy.ts then answers only requests addressed to loopback (localhost).
   */
  developmentSecret: boolean;
  trustedProxyHops: number;
  maxBodyBytes: number;
  alertIntervalMs: number;
  metricsToken: string | undefined;
  rumRetentionDays: number;
}

let cached: AdminEnv | undefined;

/** The validated environment of this process (parsed on first use, then cached). */
export function getEnv(): AdminEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Validates `source`; throws one line naming the variable and the fix. Exported for tests. */
export function parseEnv(
  source: Record<string, string | undefined>,
  warn: (line: string) => void = console.warn,
): AdminEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Kassa admin: environment variable ${String(issue?.path[0])} ${issue?.message} — fix it and restart.`,
    );
  }
  const env = parsed.data;
  let sessionSecret = env.KASSA_SESSION_SECRET;
  if (!sessionSecret) {
    if (env.NODE_ENV === "production") {
      throw new Error(
        "Kassa admin: KASSA_SESSION_SECRET is not set — set it to 32+ random characters (e.g. `openssl rand -hex 32`) and restart.",
      );
    }
    warn(
      "Kassa admin: KASSA_SESSION_SECRET is not set; signing sessions with a random per-process secret (they end on restart) and answering only on localhost. Never do this in production.",
    );
    sessionSecret = developmentSessionSecret();
  }
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    centralDataDir: resolveFromRepoRoot(env.KASSA_CENTRAL_DATA_DIR),
    sessionSecret,
    developmentSecret: !env.KASSA_SESSION_SECRET,
    trustedProxyHops: env.KASSA_TRUSTED_PROXY_HOPS,
    maxBodyBytes: env.KASSA_MAX_BODY_BYTES,
    alertIntervalMs: env.KASSA_ALERT_INTERVAL_MS,
    metricsToken: env.KASSA_METRICS_TOKEN,
    rumRetentionDays: env.KASSA_RUM_RETENTION_DAYS,
  };
}
