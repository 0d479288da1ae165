-- Poison isolation (issue 8): a receipt the till's register refused for its content
-- (`receipt_attention`) and support's void of it (`receipt_voided`, who/when/why: its audit).
-- AlterTable
ALTER TABLE "receipts" ADD COLUMN "attention_code" TEXT;
ALTER TABLE "receipts" ADD COLUMN "attention_message" TEXT;
ALTER TABLE "receipts" ADD COLUMN "attention_at" TIMESTAMPTZ(3);
ALTER TABLE "receipts" ADD COLUMN "voided_at" TIMESTAMPTZ(3);
ALTER TABLE "receipts" ADD COLUMN "voided_by" TEXT;
ALTER TABLE "receipts" ADD COLUMN "void_reason" TEXT;

-- CreateIndex
-- Partial (Prisma cannot say so): only the few receipts that ever needed attention are indexed,
-- so the fleet's per-terminal count costs nothing on the ingest of ordinary receipts.
CREATE INDEX "receipts_organization_id_terminal_id_attention_at_idx" ON "receipts"("organization_id", "terminal_id", "attention_at") WHERE "attention_at" IS NOT NULL;
