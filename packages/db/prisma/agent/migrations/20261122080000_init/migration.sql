-- CreateTable
CREATE TABLE "meta" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "receipts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "change" INTEGER NOT NULL,
    "waiting_code" TEXT,
    "waiting_message" TEXT,
    "expected_fd" INTEGER,
    "fd_number" INTEGER,
    "fiscal_sign" TEXT,
    "fn_number" TEXT,
    "shift_number" INTEGER,
    "fiscalized_at" TEXT,
    "accepted_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "destination" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "receipts_seq_key" ON "receipts"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "receipts_idempotency_key_key" ON "receipts"("idempotency_key");

-- CreateIndex
CREATE INDEX "receipts_status_seq_idx" ON "receipts"("status", "seq");

-- CreateIndex
CREATE INDEX "outbox_destination_next_attempt_at_hlc_idx" ON "outbox"("destination", "next_attempt_at", "hlc");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_destination_kind_item_id_key" ON "outbox"("destination", "kind", "item_id");
