import { timingSafeEqual } from "node:crypto";

/**
 * Who may scrape GET /metrics. Prometheus sends `Authorization: Bearer <KASSA_METRICS_TOKEN>`; the
 * token is compared in constant time. Without a token configured, /metrics is open in development
 * and test (a developer's curl) and answers 404 in production — a fleet's ingest figures are not
 * published by default. Loopback-only would be weaker here: behind a reverse proxy every request
 * comes from loopback, and Next.js route handlers do not see the peer address.
 */
export function metricsAccess(
  authorization: string | null,
  env: { metricsToken: string | undefined; nodeEnv: string },
): "ok" | "unauthorized" | "disabled" {
  if (!env.metricsToken) return env.nodeEnv === "production" ? "disabled" : "ok";
  const given = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(env.metricsToken);
  return a.length === b.length && timingSafeEqual(a, b) ? "ok" : "unauthorized";
}
