import { createHash } from "node:crypto";

/**
 * SHA-256 of JSON with keys sorted at every level: the same rule the central ingest uses for
 * `receipts.body_hash`, so a seeded receipt delivered again by a test counts as the same body.
 */
export function canonicalHash(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, (v as Record<string, unknown>)[key]]),
      );
    }
    return v;
  });
  return createHash("sha256").update(json).digest("hex");
}
