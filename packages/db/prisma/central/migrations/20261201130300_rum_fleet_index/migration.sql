-- The RUM overview reads every metric's fleet-wide rows (store_id '*') of a window: without a metric
-- the primary key only narrows by organization, and a 30-day overview scanned every till's rows.

-- CreateIndex
CREATE INDEX "rum_histograms_organization_id_store_id_grain_bucket_idx" ON "rum_histograms"("organization_id", "store_id", "grain", "bucket");
