-- CreateTable
CREATE TABLE "terminal_sync_state" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "lease_token" BIGINT NOT NULL DEFAULT 0,
    "lease_holder" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "ofd_unsent_count" INTEGER,
    "ofd_oldest_unsent_at" TIMESTAMPTZ(3),
    "ofd_measured_at" TIMESTAMPTZ(3),
    "last_push_at" TIMESTAMPTZ(3),
    "last_hlc" TEXT,

    CONSTRAINT "terminal_sync_state_pkey" PRIMARY KEY ("organization_id","terminal_id")
);

-- CreateTable
CREATE TABLE "terminal_records" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "terminal_records_pkey" PRIMARY KEY ("organization_id","terminal_id","kind","id")
);

-- CreateTable
CREATE TABLE "dlq_items" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "item_kind" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "errors" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "discard_reason" TEXT,
    "hlc" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dlq_items_pkey" PRIMARY KEY ("organization_id","terminal_id","id")
);

-- CreateTable
CREATE TABLE "breaker_transitions" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "breaker_transitions_pkey" PRIMARY KEY ("organization_id","terminal_id","id")
);

-- CreateTable
CREATE TABLE "sync_commands" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "dlq_item_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "issued_by" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "acked_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "sync_commands_pkey" PRIMARY KEY ("organization_id","terminal_id","id")
);

-- CreateTable
CREATE TABLE "sync_audit" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "dlq_item_id" TEXT NOT NULL,
    "command_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_audit_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateIndex
CREATE INDEX "terminal_records_organization_id_kind_received_at_idx" ON "terminal_records"("organization_id", "kind", "received_at");

-- CreateIndex
CREATE INDEX "dlq_items_organization_id_status_fingerprint_idx" ON "dlq_items"("organization_id", "status", "fingerprint");

-- CreateIndex
CREATE INDEX "dlq_items_organization_id_store_id_status_idx" ON "dlq_items"("organization_id", "store_id", "status");

-- CreateIndex
CREATE INDEX "breaker_transitions_terminal_destination_at_idx" ON "breaker_transitions"("organization_id", "terminal_id", "destination", "at");

-- CreateIndex
CREATE INDEX "breaker_transitions_organization_id_at_idx" ON "breaker_transitions"("organization_id", "at");

-- CreateIndex
CREATE INDEX "sync_commands_organization_id_terminal_id_acked_at_idx" ON "sync_commands"("organization_id", "terminal_id", "acked_at");

-- CreateIndex
CREATE INDEX "sync_audit_organization_id_terminal_id_dlq_item_id_idx" ON "sync_audit"("organization_id", "terminal_id", "dlq_item_id");
