-- CreateTable
CREATE TABLE "sync_lease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "sync_errors" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "destination" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "message" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "dlq" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "destination" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "errors" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "discard_reason" TEXT,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "breaker_transitions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "destination" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "failures" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "applied_commands" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "outcome" TEXT NOT NULL,
    "applied_at" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "sync_errors_destination_kind_item_id_idx" ON "sync_errors"("destination", "kind", "item_id");

-- CreateIndex
CREATE INDEX "dlq_status_destination_idx" ON "dlq"("status", "destination");

-- CreateIndex
CREATE INDEX "breaker_transitions_destination_id_idx" ON "breaker_transitions"("destination", "id");
