-- The breaker fleet view correlates a window's trips (closed → open or isolated: isTrip in
-- packages/api/src/central/dashboard/breakers/segments.ts), a third of all transitions. Through the
-- (organization_id, at) index a chain's week read all 18,000 transitions to keep 6,000 trips and
-- sorted them; the trips alone, already in time order, are a third of the reads and no sort.

-- CreateIndex
-- Partial (Prisma cannot say so): only trips are indexed.
CREATE INDEX "breaker_transitions_trips_idx" ON "breaker_transitions"("organization_id", "at") WHERE "from_state" = 'closed' AND "to_state" IN ('open', 'isolated');
