-- Issue 12: cash moves the fiscal register owes (50/51, exactly once by the drawer count) and
-- correction receipts (receipts.correct, two-phase like receipts).
-- CreateTable
CREATE TABLE "register_cash_moves" (
    "movement_id" TEXT NOT NULL PRIMARY KEY,
    "direction" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "cashier_name" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "drawer_before" INTEGER,
    "drawer_after" INTEGER,
    "document_number" INTEGER,
    "reason" TEXT,
    "updated_at" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "corrections" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "idempotency_key" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "shift_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "expected_fd" INTEGER,
    "expected_fn" TEXT,
    "fd_number" INTEGER,
    "fiscal_sign" TEXT,
    "fn_number" TEXT,
    "fiscal_shift" INTEGER,
    "fiscalized_at" TEXT,
    "reason" TEXT,
    "created_at" TEXT NOT NULL,
    "hlc" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "register_cash_moves_state_idx" ON "register_cash_moves"("state");

-- CreateIndex
CREATE UNIQUE INDEX "corrections_idempotency_key_key" ON "corrections"("idempotency_key");

-- CreateIndex
CREATE INDEX "corrections_state_idx" ON "corrections"("state");
