-- cash.move idempotency: a POS retrying after a timeout gets its movement back instead of a second one.
-- AlterTable
ALTER TABLE "cash_movements" ADD COLUMN "idempotency_key" TEXT;
ALTER TABLE "cash_movements" ADD COLUMN "body_hash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "cash_movements_idempotency_key_key" ON "cash_movements"("idempotency_key");
