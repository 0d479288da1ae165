-- The cash page's other two reads at chain scale (issue 9, bench:admin): the shifts opened on the
-- chosen days, and each shift's cash in/out records. Both are JSON fields of terminal_records
-- (the agent's snapshots, stored as sent), so without these every shift and every cash movement
-- of every till in scope was read and its JSON unpacked to test one field. Expression and partial
-- indexes Prisma cannot describe (schema.prisma does not list them; the drift checks leave them be).

-- CreateIndex
CREATE INDEX "terminal_records_shift_opened_idx" ON "terminal_records"("organization_id", ("data" ->> 'openedAt'))
  WHERE "kind" = 'shift';

-- CreateIndex
CREATE INDEX "terminal_records_cash_movement_shift_idx" ON "terminal_records"("organization_id", "terminal_id", ("data" ->> 'shiftId'))
  WHERE "kind" = 'cash_movement';
