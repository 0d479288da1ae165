-- The cash page's week for a chain (3,200 shifts) spent most of its time probing per shift what
-- does not change once stored: the till's receipt just before the shift (is there a hole before
-- its first receipt?), its cash_movement records and its fiscalized corrections. Ingest now keeps
-- them on the shift's counters row (sync/shift-cash.ts): cash in/out moved once per record the
-- batch actually stored (a correction once both it and its fiscal document are stored, in either
-- order), and the previous receipt recomputed whenever a stored receipt can change it. Its latest
-- approval is named there too, set by each approval (dashboard/cash/approve-variance.ts), and its
-- snapshot's HLC and opening text, set with each snapshot stored: a range's shifts are one range
-- of this table, not a probe per snapshot.
-- AlterTable
ALTER TABLE "shift_cash_counters" ADD COLUMN "cash_in" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "approval_id" TEXT,
ADD COLUMN "cash_out" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN "prev_hlc" TEXT,
ADD COLUMN "prev_seq" BIGINT,
ADD COLUMN "shift_hlc" TEXT,
ADD COLUMN "shift_opened" TEXT;

-- CreateIndex
CREATE INDEX "shift_cash_counters_organization_id_terminal_id_first_hlc_idx" ON "shift_cash_counters"("organization_id", "terminal_id", "first_hlc");

-- CreateIndex
CREATE INDEX "shift_cash_counters_organization_id_shift_opened_idx" ON "shift_cash_counters"("organization_id", "shift_opened");

-- DropIndex: the cash page found a range's snapshots by this expression index; it reads the range
-- from shift_cash_counters now (above), and every stored snapshot no longer pays for it.
DROP INDEX "terminal_records_shift_opened_idx";

-- CreateIndex: a week's register shifts as one range (the cash page), not a probe per shift.
CREATE INDEX "register_shift_documents_organization_id_last_fiscalized_at_idx" ON "register_shift_documents"("organization_id", "last_fiscalized_at");

-- BACKFILL: the cash records and fiscalized corrections already stored, and each shift's previous
-- receipt (the same rules as ingest and as the read-time sums they replace; re-runnable: it sets,
-- it does not add).
INSERT INTO "shift_cash_counters" AS c ("organization_id", "terminal_id", "shift_id", "cash_in", "cash_out")
SELECT m."organization_id", m."terminal_id", m."shift_id",
  coalesce(sum(m."amount") FILTER (WHERE m."direction" = 'in'), 0)::bigint,
  coalesce(sum(m."amount") FILTER (WHERE m."direction" = 'out'), 0)::bigint
FROM (
  SELECT r."organization_id", r."terminal_id", r."data"->>'shiftId' AS "shift_id", r."data"->>'kind' AS "direction",
    CASE WHEN r."data"->>'amount' ~ '^[0-9]{1,15}$' THEN (r."data"->>'amount')::bigint END AS "amount"
  FROM "terminal_records" r
  WHERE r."kind" = 'cash_movement' AND r."data"->>'shiftId' IS NOT NULL
  UNION ALL
  SELECT r."organization_id", r."terminal_id", r."data"->>'shiftId',
    CASE WHEN r."data"->>'kind' IN ('income', 'expense_return') THEN 'in'
         WHEN r."data"->>'kind' IN ('income_return', 'expense') THEN 'out' END,
    (r."data"->'payments'->>'cash')::bigint - least((r."data"->'payments'->>'cash')::bigint, greatest(0,
      (r."data"->'payments'->>'cash')::bigint + (r."data"->'payments'->>'electronic')::bigint - (r."data"->>'total')::bigint))
  FROM "terminal_records" r
  WHERE r."kind" = 'correction' AND r."data"->>'shiftId' IS NOT NULL
    AND EXISTS (SELECT 1 FROM "terminal_records" f WHERE f."organization_id" = r."organization_id"
      AND f."terminal_id" = r."terminal_id" AND f."kind" = 'correction_fiscalized' AND f."id" = r."id")
) m
GROUP BY m."organization_id", m."terminal_id", m."shift_id"
ON CONFLICT ("organization_id", "terminal_id", "shift_id") DO UPDATE SET
  "cash_in" = excluded."cash_in", "cash_out" = excluded."cash_out";

UPDATE "shift_cash_counters" c SET ("prev_seq", "prev_hlc") = (
  SELECT x."seq", x."hlc" FROM "receipts" x
  WHERE x."organization_id" = c."organization_id" AND x."terminal_id" = c."terminal_id" AND x."hlc" < c."first_hlc"
  ORDER BY x."hlc" DESC LIMIT 1)
WHERE c."first_hlc" IS NOT NULL;

INSERT INTO "shift_cash_counters" AS c ("organization_id", "terminal_id", "shift_id", "approval_id")
SELECT DISTINCT ON (a."organization_id", a."terminal_id", a."shift_id") a."organization_id", a."terminal_id", a."shift_id", a."id"
FROM "cash_approvals" a
ORDER BY a."organization_id", a."terminal_id", a."shift_id", a."approved_at" DESC, a."id" DESC
ON CONFLICT ("organization_id", "terminal_id", "shift_id") DO UPDATE SET "approval_id" = excluded."approval_id";

INSERT INTO "shift_cash_counters" AS c ("organization_id", "terminal_id", "shift_id", "shift_hlc", "shift_opened")
SELECT r."organization_id", r."terminal_id", r."id", r."hlc", r."data"->>'openedAt'
FROM "terminal_records" r
WHERE r."kind" = 'shift'
ON CONFLICT ("organization_id", "terminal_id", "shift_id") DO UPDATE SET
  "shift_hlc" = excluded."shift_hlc", "shift_opened" = excluded."shift_opened";
