-- Alerts evaluated centrally (issue 11): thresholds per organization, and one row per firing of a
-- rule for a subject. The partial unique key is what makes evaluation idempotent across central
-- instances: a second evaluator's INSERT … ON CONFLICT DO NOTHING adds nothing while one is firing,
-- and a resolved alert leaves the key free for the next firing (a new row, the history stays).

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN "alert_thresholds" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "alerts" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "terminal_id" TEXT,
    "store_id" TEXT,
    "destination" TEXT,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alerts_firing_key" ON "alerts"("organization_id", "rule", "subject_key") WHERE "resolved_at" IS NULL;

-- CreateIndex
CREATE INDEX "alerts_organization_id_fired_at_id_idx" ON "alerts"("organization_id", "fired_at", "id");

-- CreateIndex
CREATE INDEX "alerts_firing_store_idx" ON "alerts"("organization_id", "store_id") WHERE "resolved_at" IS NULL;
