/** What the till last reported about its FN's OFD backlog (terminal_sync_state). */
export interface OfdBacklog {
  ofdUnsentCount: number | null;
  ofdOldestUnsentAt: Date | null;
  ofdMeasuredAt: Date | null;
}

/** FFD times have minute precision: a document dated 12:31 was made in [12:31:00, 12:32:00). */
const FFD_TIME_STEP_MS = 60_000;

/**
 * When a receipt's fiscal document is known to be confirmed by the OFD, or null while that is not
 * known. Tills report their FN's backlog (unsent count, oldest unsent document's time), not each
 * confirmation; but the FN sends its documents to the OFD strictly oldest first, so a document is
 * confirmed once a report made after it was fiscalized shows no backlog, or a backlog that starts
 * with a later document.
 */
export function ofdConfirmedAt(fiscalizedAt: Date | null, backlog: OfdBacklog | null): Date | null {
  const measuredAt = backlog?.ofdMeasuredAt;
  if (!fiscalizedAt || !measuredAt || backlog.ofdUnsentCount === null) return null;
  if (measuredAt.getTime() < fiscalizedAt.getTime() + FFD_TIME_STEP_MS) return null;
  if (backlog.ofdUnsentCount === 0) return measuredAt;
  const oldest = backlog.ofdOldestUnsentAt;
  return oldest && oldest.getTime() >= fiscalizedAt.getTime() + FFD_TIME_STEP_MS ? measuredAt : null;
}
