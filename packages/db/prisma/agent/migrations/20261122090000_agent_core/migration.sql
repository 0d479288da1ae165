-- AlterTable
ALTER TABLE "receipts" ADD COLUMN "shift_id" TEXT;
ALTER TABLE "receipts" ADD COLUMN "cash_net" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "shifts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "opened_at_ms" INTEGER NOT NULL,
    "closed_at" TEXT,
    "cashier_name" TEXT NOT NULL,
    "cashier_inn" TEXT,
    "opening_float" INTEGER NOT NULL,
    "open_fd" INTEGER,
    "close_fd" INTEGER,
    "close_sign" TEXT,
    "counted_cash" INTEGER,
    "expected_cash" INTEGER,
    "hlc" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "cash_movements" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shift_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason" TEXT,
    "denominations" TEXT,
    "cashier_name" TEXT,
    "at" TEXT NOT NULL,
    "hlc" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "cashiers" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "login" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "inn" TEXT,
    "pin_hash" TEXT NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "cashier_sessions" (
    "token_hash" TEXT NOT NULL PRIMARY KEY,
    "cashier_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "receipts_shift_id_idx" ON "receipts"("shift_id");

-- CreateIndex
CREATE INDEX "shifts_status_idx" ON "shifts"("status");

-- CreateIndex
CREATE INDEX "cash_movements_shift_id_idx" ON "cash_movements"("shift_id");

-- CreateIndex
CREATE UNIQUE INDEX "cashiers_login_key" ON "cashiers"("login");

-- CreateIndex
CREATE INDEX "cashier_sessions_cashier_id_idx" ON "cashier_sessions"("cashier_id");
