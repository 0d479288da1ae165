-- Dashboard at chain scale (bench:admin, issue 9): the DLQ triage list in every state ("all") pages
-- newest first by (created_at, terminal_id, id) with no status to lead the index, so without this one
-- PostgreSQL joined each of 10,000 items to its terminal and latest command before sorting them
-- (dlq.list state=all: 277 ms); with it the page is the index's first 51 entries (1 ms).

-- CreateIndex
CREATE INDEX "dlq_items_organization_id_created_at_terminal_id_id_idx" ON "dlq_items"("organization_id", "created_at", "terminal_id", "id");
