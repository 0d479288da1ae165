-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'manager', 'support');

-- CreateEnum
CREATE TYPE "TerminalStatus" AS ENUM ('active', 'retired');

-- CreateEnum
CREATE TYPE "ReceiptKind" AS ENUM ('sale', 'refund');

-- CreateTable
CREATE TABLE "organizations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stores" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/Moscow',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stores_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateTable
CREATE TABLE "terminals" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "status" "TerminalStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sync_at" TIMESTAMPTZ(3),
    "clock_skew_ms" INTEGER,

    CONSTRAINT "terminals_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "store_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("organization_id","user_id")
);

-- CreateTable
CREATE TABLE "receipts" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hlc" TEXT NOT NULL,
    "kind" "ReceiptKind" NOT NULL,
    "tax_system" TEXT NOT NULL,
    "cashier_name" TEXT NOT NULL,
    "cashier_inn" TEXT,
    "total" BIGINT NOT NULL,
    "cash_total" BIGINT NOT NULL,
    "change" BIGINT NOT NULL,
    "items" JSONB NOT NULL,
    "payments" JSONB NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fd_number" INTEGER,
    "fiscal_sign" TEXT,
    "fn_number" TEXT,
    "shift_number" INTEGER,
    "fiscalized_at" TIMESTAMPTZ(3),

    CONSTRAINT "receipts_pkey" PRIMARY KEY ("organization_id","terminal_id","id")
);

-- CreateIndex
CREATE INDEX "terminals_organization_id_store_id_idx" ON "terminals"("organization_id", "store_id");

-- CreateIndex
CREATE UNIQUE INDEX "terminals_id_key" ON "terminals"("id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE INDEX "receipts_organization_id_terminal_id_hlc_idx" ON "receipts"("organization_id", "terminal_id", "hlc");

-- CreateIndex
CREATE INDEX "receipts_organization_id_store_id_accepted_at_idx" ON "receipts"("organization_id", "store_id", "accepted_at");

-- CreateIndex
CREATE INDEX "receipts_organization_id_accepted_at_idx" ON "receipts"("organization_id", "accepted_at");

-- CreateIndex
CREATE UNIQUE INDEX "receipts_organization_id_terminal_id_idempotency_key_key" ON "receipts"("organization_id", "terminal_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "stores" ADD CONSTRAINT "stores_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "terminals" ADD CONSTRAINT "terminals_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "terminals" ADD CONSTRAINT "terminals_organization_id_store_id_fkey" FOREIGN KEY ("organization_id", "store_id") REFERENCES "stores"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_organization_id_terminal_id_fkey" FOREIGN KEY ("organization_id", "terminal_id") REFERENCES "terminals"("organization_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
