-- Whether a closed shift is provisional (issue 9) compares its Z report's FD range with the fiscal
-- documents stored as receipts. Counting those receipts at read time (receipts_fd_range_idx, a
-- range per shift) cost 2.8 s for a chain's week; ingest now keeps the count per register shift —
-- the FN and its shift number, which every receipt's fiscal attributes carry, and which is exactly
-- the set of documents between the shift's opening report and its Z report (FD numbers run
-- consecutively on one FN). Moved only by rows a statement actually inserted or filled, so a
-- second delivery counts nothing (sync/shift-cash.ts).
-- CreateTable
CREATE TABLE "register_shift_documents" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "shift_number" INTEGER NOT NULL,
    "fn_number" TEXT NOT NULL,
    "receipts" INTEGER NOT NULL DEFAULT 0,
    "first_fiscalized_at" TIMESTAMPTZ(3) NOT NULL,
    "last_fiscalized_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "register_shift_documents_pkey" PRIMARY KEY ("organization_id","terminal_id","shift_number","fn_number")
);

-- BACKFILL: the receipts already stored with their fiscal attributes.
INSERT INTO "register_shift_documents" ("organization_id", "terminal_id", "shift_number", "fn_number", "receipts",
  "first_fiscalized_at", "last_fiscalized_at")
SELECT x."organization_id", x."terminal_id", x."shift_number", x."fn_number", count(*)::int,
  min(x."fiscalized_at"), max(x."fiscalized_at")
FROM "receipts" x
WHERE x."fd_number" IS NOT NULL AND x."fn_number" IS NOT NULL AND x."shift_number" IS NOT NULL
  AND x."fiscalized_at" IS NOT NULL
GROUP BY x."organization_id", x."terminal_id", x."shift_number", x."fn_number";
