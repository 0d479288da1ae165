-- Real-user monitoring (issue 11): raw samples partitioned by day, and mergeable histograms per
-- hour and per day that the RUM page reads instead of the samples.

-- CreateTable
-- One measurement at one moment (`at`, as the till or browser measured it). Declaratively
-- partitioned by range of `at`, one partition per UTC day (`rum_samples_pYYYYMMDD`), created ahead
-- and dropped whole by the central maintenance job (packages/api/src/central/rum/partitions.ts).
-- A sample whose day has no partition (older than the oldest kept, or a till clock far ahead)
-- lands in the DEFAULT partition; the job moves such rows into their day's partition when it
-- creates it and deletes them by retention. The key must contain the partition column, so it is
-- (organization, source, id, at): `source` is who measured ("till:<terminal id>" or
-- "web:<user id>"), `id` its own id there, and a redelivery carries the same `at`.
CREATE TABLE "rum_samples" (
    "organization_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "store_id" TEXT,
    "terminal_id" TEXT,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "body_hash" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rum_samples_pkey" PRIMARY KEY ("organization_id","source","id","at")
) PARTITION BY RANGE ("at");

CREATE TABLE "rum_samples_default" PARTITION OF "rum_samples" DEFAULT;

-- CreateIndex
-- Offline bands (metric sync.offline) and the percentile test read raw samples by metric and time.
CREATE INDEX "rum_samples_organization_id_metric_at_idx" ON "rum_samples"("organization_id", "metric", "at");

-- CreateTable
-- Log-bucketed histograms (DDSketch-style, γ = 1.05, relative error ≤ 2.44 %) per grain ('hour' or
-- 'day', UTC) × metric × store × till: one row per non-empty bin. Counts only add, so any set of
-- rows merges into one histogram by SUM(count) GROUP BY bin, and p50/p75/p95 of any window come
-- from its merged histogram in SQL. '' as store_id/terminal_id = the dashboard's own samples
-- (no store, no till): the key columns cannot be NULL.
CREATE TABLE "rum_rollups" (
    "organization_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "store_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "bin" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "rum_rollups_pkey" PRIMARY KEY ("organization_id","metric","grain","bucket","store_id","terminal_id","bin")
);

-- CreateIndex
-- Retention deletes rollups by time alone.
CREATE INDEX "rum_rollups_grain_bucket_idx" ON "rum_rollups"("grain", "bucket");

-- The bin of a value: 0 for |v| < 1e-9, else ±(ceil(log_γ |v|) + 1100) (positive bins grow with v,
-- negative ones shrink with it, so bins sort like values). Bin i (> 0) holds (γ^(i-1101), γ^(i-1100)].
CREATE FUNCTION rum_bin(v DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN abs(v) < 1e-9 THEN 0
    WHEN v > 0 THEN ceil(ln(v) / ln(1.05::double precision))::integer + 1100
    ELSE -(ceil(ln(-v) / ln(1.05::double precision))::integer + 1100)
  END
$$;

-- A bin's representative value: 2γ^i / (γ + 1) lies within (γ − 1)/(γ + 1) of every value in the bin.
CREATE FUNCTION rum_bin_value(b INTEGER) RETURNS DOUBLE PRECISION
LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN b = 0 THEN 0::double precision
    WHEN b > 0 THEN 2 * power(1.05::double precision, b - 1100) / 2.05
    ELSE -2 * power(1.05::double precision, -b - 1100) / 2.05
  END
$$;
