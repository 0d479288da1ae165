-- Cash reconciliation and breaker history (issue 9). Breaker history needs no new table: it reads
-- breaker_transitions through its (organization_id, terminal_id, destination, at) and
-- (organization_id, at) indexes.
-- A shift's |counted − expected| above the organization's tolerance (kopecks; default 100 ₽) needs a
-- manager's approval with a note.
-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "cash_tolerance" BIGINT NOT NULL DEFAULT 10000;

-- CreateTable
-- The approvals are the audit record (who, when, note, the figures approved); append-only.
CREATE TABLE "cash_approvals" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "shift_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "expected" BIGINT NOT NULL,
    "counted" BIGINT NOT NULL,
    "variance" BIGINT NOT NULL,
    "tolerance" BIGINT NOT NULL,
    "note" TEXT NOT NULL,
    "approved_by" TEXT NOT NULL,
    "approved_by_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cash_approvals_pkey" PRIMARY KEY ("organization_id","terminal_id","shift_id","id")
);
