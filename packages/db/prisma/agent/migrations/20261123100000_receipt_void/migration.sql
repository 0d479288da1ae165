-- Poison isolation: a receipt the register refuses for its content leaves the fiscal queue as
-- `needs_attention` (its reason in waiting_code / waiting_message) and support may void it.
-- AlterTable
ALTER TABLE "receipts" ADD COLUMN "voided_at" TEXT;
ALTER TABLE "receipts" ADD COLUMN "voided_by" TEXT;
ALTER TABLE "receipts" ADD COLUMN "void_reason" TEXT;
