-- RUM histograms as one row per grain × bucket × metric × store × till, its non-empty bins and
-- their counts as two parallel arrays (bins ascending), replacing rum_rollups' one row per bin:
-- ingest wrote about 1.5 rollup rows per sample that way (each sample of a batch mostly falls in
-- a bin of its own), three times the writes of the samples themselves; now a batch writes one row
-- per metric, hour and day of the till. Histograms still merge by adding counts per bin.

-- CreateTable
CREATE TABLE "rum_histograms" (
    "organization_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "store_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "bins" INTEGER[],
    "counts" BIGINT[],

    CONSTRAINT "rum_histograms_pkey" PRIMARY KEY ("organization_id","metric","grain","bucket","store_id","terminal_id")
);

-- CreateIndex
-- Retention deletes histograms by time alone.
CREATE INDEX "rum_histograms_grain_bucket_idx" ON "rum_histograms"("grain", "bucket");

INSERT INTO "rum_histograms"
SELECT "organization_id", "metric", "grain", "bucket", "store_id", "terminal_id",
       array_agg("bin" ORDER BY "bin"), array_agg("count" ORDER BY "bin")
FROM "rum_rollups"
GROUP BY 1, 2, 3, 4, 5, 6;

-- DropTable
DROP TABLE "rum_rollups";

-- Two histograms as one: the counts of equal bins added, bins ascending.
CREATE FUNCTION rum_merge_bins(bins_a INTEGER[], counts_a BIGINT[], bins_b INTEGER[], counts_b BIGINT[],
                               OUT bins INTEGER[], OUT counts BIGINT[])
LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(b ORDER BY b), array_agg(c ORDER BY b)
  FROM (
    SELECT b, sum(c)::bigint AS c
    FROM (SELECT * FROM unnest(bins_a, counts_a) UNION ALL SELECT * FROM unnest(bins_b, counts_b)) AS x(b, c)
    GROUP BY b
  ) AS merged
$$;
