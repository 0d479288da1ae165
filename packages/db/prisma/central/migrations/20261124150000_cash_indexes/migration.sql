-- Cash reconciliation at chain scale (bench/cash.ts, issue 8): deciding whether a closed shift is
-- provisional counts the stored receipts whose FD lies inside its Z report's FD range. Through the
-- (organization_id, terminal_id, hlc) index that read every receipt of the shift's days from the
-- heap (cash.shifts for a week: 1.9 s of it); by FD number with the HLC and print time in the index
-- it is an index-only range of the shift's own receipts (0.47 s). INCLUDE is in SQL only: Prisma
-- cannot say so, schema.prisma lists the included columns after the key.

-- CreateIndex
CREATE INDEX "receipts_fd_range_idx" ON "receipts"("organization_id", "terminal_id", "fd_number") INCLUDE ("hlc", "fiscalized_at");
