-- DLQ triage (issue 9): a support action (retry / discard of an item, a selection or a group) is one
-- dlq_actions row; its commands and per-item audit rows carry its id, written in one transaction.
-- Indexes for the triage list (newest first), an item's latest command, and an action's rows.

-- AlterTable
ALTER TABLE "sync_audit" ADD COLUMN     "action_id" TEXT;

-- AlterTable
ALTER TABLE "sync_commands" ADD COLUMN     "action_id" TEXT;

-- CreateTable
CREATE TABLE "dlq_actions" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "selection" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "reason" TEXT,
    "actor_id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "requested" INTEGER NOT NULL,
    "issued" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "store_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dlq_actions_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateIndex
CREATE INDEX "dlq_actions_organization_id_at_idx" ON "dlq_actions"("organization_id", "at");

-- CreateIndex
CREATE INDEX "dlq_items_organization_id_status_created_at_terminal_id_id_idx" ON "dlq_items"("organization_id", "status", "created_at", "terminal_id", "id");

-- CreateIndex
CREATE INDEX "sync_audit_organization_id_action_id_idx" ON "sync_audit"("organization_id", "action_id");

-- CreateIndex
CREATE INDEX "sync_commands_terminal_item_issued_at_idx" ON "sync_commands"("organization_id", "terminal_id", "dlq_item_id", "issued_at");

-- CreateIndex
CREATE INDEX "sync_commands_organization_id_action_id_idx" ON "sync_commands"("organization_id", "action_id");
