-- Fleet-wide RUM reads (the overview, the series and the distribution of an organization with no
-- store or till filter) want the fold's '*' rows of one metric over a window: 90 rows for 90 days.
-- Through the primary key (organization_id, metric, grain, bucket, store_id, terminal_id) every
-- till's row in the window was stepped over to find them — 40,000 index entries for 440 tills,
-- 9–13 ms a read. The '*' rows alone, in (grain, bucket) order, are a tight range.

-- CreateIndex
-- Partial (Prisma cannot say so): only the fold's fleet-wide rows are indexed, so ingest's writes
-- (every row with a real store) never touch it.
CREATE INDEX "rum_histograms_fleet_idx" ON "rum_histograms"("organization_id", "grain", "bucket", "metric") WHERE "store_id" = '*';
