-- Cash reconciliation by the receipt's own shift (issue 9). Agents now send each receipt's shiftId,
-- so a receipt belongs to the shift the till accepted it in, not to whichever shift's time window
-- holds its accept time (wrong for a receipt accepted in the second the shift closed, or across a
-- till clock step). Receipts without it (older agents) are still matched by time, at read time.
-- AlterTable
ALTER TABLE "receipts" ADD COLUMN "shift_id" TEXT;

-- CreateIndex
-- A shift's receipts when its sequence has holes (the cash page lists the missing seqs).
CREATE INDEX "receipts_organization_id_terminal_id_shift_id_idx" ON "receipts"("organization_id", "terminal_id", "shift_id");

-- CreateIndex
-- Partial (Prisma cannot say so): the receipts that name no shift, the only ones the cash page still
-- matches by time — an HLC range of this small index, not of every receipt the till ever sent.
CREATE INDEX "receipts_unassigned_hlc_idx" ON "receipts"("organization_id", "terminal_id", "hlc") WHERE "shift_id" IS NULL;

-- CreateTable
-- Per shift, what ingest stored of its receipts (those naming the shift), kept as counters so the
-- cash page reads one row per shift instead of summing its receipts: moved only by rows a statement
-- actually inserted or updated (ON CONFLICT DO NOTHING / WHERE … RETURNING), so a second delivery
-- changes nothing. "Counted" excludes voided receipts (voided and never fiscalized); the *_all sums
-- include them (the till's own totals at close are compared with those).
CREATE TABLE "shift_cash_counters" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "shift_id" TEXT NOT NULL,
    "receipts" INTEGER NOT NULL DEFAULT 0,
    "voided_receipts" INTEGER NOT NULL DEFAULT 0,
    "cash_sales" BIGINT NOT NULL DEFAULT 0,
    "cash_refunds" BIGINT NOT NULL DEFAULT 0,
    "cash_sales_all" BIGINT NOT NULL DEFAULT 0,
    "cash_refunds_all" BIGINT NOT NULL DEFAULT 0,
    "min_seq" BIGINT,
    "max_seq" BIGINT,
    "first_hlc" TEXT,

    CONSTRAINT "shift_cash_counters_pkey" PRIMARY KEY ("organization_id","terminal_id","shift_id")
);

-- BACKFILL (apps/admin/bench/cash.ts runs what follows this line on a bulk-seeded database)
-- The receipts already stored take their shift by the rule the cash page used until now: accepted
-- inside the shift's opening/closing times, HLC within [opening wall time, closed snapshot's HLC].
-- A receipt inside two windows (accepted in the millisecond one shift closed and the next opened)
-- is the one that closed later's only if its HLC is past the earlier close snapshot's: the
-- smallest closing HLC wins. Snapshots whose times do not parse are left out (the page lists them
-- as unreadable and reconciles nothing for them).
CREATE FUNCTION "kassa_try_timestamptz"(value TEXT) RETURNS TIMESTAMPTZ LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN value::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

CREATE TEMPORARY TABLE "backfill_shifts" AS
SELECT s."organization_id" AS org, s."terminal_id" AS terminal, s."id" AS shift,
  "kassa_try_timestamptz"(s."data"->>'openedAt') AS opened,
  CASE WHEN s."data"->>'status' = 'closed' THEN "kassa_try_timestamptz"(s."data"->>'closedAt') END AS closed,
  CASE WHEN s."data"->>'status' = 'closed' THEN s."hlc" END AS close_hlc
FROM "terminal_records" s
WHERE s."kind" = 'shift';
DELETE FROM "backfill_shifts" WHERE opened IS NULL;

UPDATE "receipts" r SET "shift_id" = m.shift
FROM (
  SELECT DISTINCT ON (x."organization_id", x."terminal_id", x."id")
    x."organization_id", x."terminal_id", x."id", v.shift
  FROM "backfill_shifts" v
  JOIN "receipts" x ON x."organization_id" = v.org AND x."terminal_id" = v.terminal
    AND x."hlc" >= lpad((extract(epoch FROM v.opened) * 1000)::bigint::text, 13, '0')
    AND (v.close_hlc IS NULL OR x."hlc" <= v.close_hlc)
    AND x."accepted_at" >= v.opened AND (v.closed IS NULL OR x."accepted_at" <= v.closed)
  WHERE x."shift_id" IS NULL
  ORDER BY x."organization_id", x."terminal_id", x."id", v.close_hlc NULLS LAST, v.opened
) m
WHERE r."organization_id" = m."organization_id" AND r."terminal_id" = m."terminal_id" AND r."id" = m."id";

DROP TABLE "backfill_shifts";
DROP FUNCTION "kassa_try_timestamptz"(TEXT);

-- The counters from the receipts that now name their shift, by the page's rule for "voided".
INSERT INTO "shift_cash_counters" ("organization_id", "terminal_id", "shift_id", "receipts", "voided_receipts",
  "cash_sales", "cash_refunds", "cash_sales_all", "cash_refunds_all", "min_seq", "max_seq", "first_hlc")
SELECT x."organization_id", x."terminal_id", x."shift_id", count(*)::int,
  (count(*) FILTER (WHERE x."voided_at" IS NOT NULL AND x."fd_number" IS NULL))::int,
  coalesce(sum(x."cash_total") FILTER (WHERE x."kind" = 'sale' AND NOT (x."voided_at" IS NOT NULL AND x."fd_number" IS NULL)), 0),
  coalesce(sum(x."cash_total") FILTER (WHERE x."kind" = 'refund' AND NOT (x."voided_at" IS NOT NULL AND x."fd_number" IS NULL)), 0),
  coalesce(sum(x."cash_total") FILTER (WHERE x."kind" = 'sale'), 0),
  coalesce(sum(x."cash_total") FILTER (WHERE x."kind" = 'refund'), 0),
  min(x."seq"), max(x."seq"), min(x."hlc")
FROM "receipts" x
WHERE x."shift_id" IS NOT NULL
GROUP BY x."organization_id", x."terminal_id", x."shift_id"
ON CONFLICT ("organization_id", "terminal_id", "shift_id") DO NOTHING;
