-- Fleet-wide RUM histograms (store_id = terminal_id = '*'): one row per organization × metric ×
-- grain × bucket, folded from the tills' rows by the central schedule (packages/api/src/central/
-- rum/fold.ts), so a fleet-wide 90-day view reads ~90 rows per metric instead of one per till and
-- day. Ingest never writes them (every till's batch would queue on the same rows); it stamps the
-- rows it changes with changed_at, and the fold recomputes every group changed since its last run.

-- AlterTable
ALTER TABLE "rum_histograms" ADD COLUMN "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "rum_histograms_changed_at_idx" ON "rum_histograms"("changed_at");
