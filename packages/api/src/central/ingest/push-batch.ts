import { AppError } from "../../errors.ts";
import { ingestAdmissionRefusals, recordIngestBatch } from "../rum/server-metrics.ts";
import { ingestAdmission } from "../sync/admission.ts";
import { pgStoreSlots } from "../sync/admission-slots.ts";
import { ingestBatch } from "../sync/ingest-batch.ts";
import { mergeResults, screenUnstorable } from "../sync/storable.ts";
import { terminalProcedure } from "../trpc.ts";
import { ZPushBatchInput, ZPushBatchOutput } from "./push-batch.types.ts";

/**
 * `ingest.push`: one round trip per batch. Every item is validated before anything is written (a
 * malformed batch is a typed 400 naming the item, and changes nothing); each item is then answered
 * accepted | duplicate | rejected-with-reason (an item PostgreSQL could not store included).
 */
export const pushBatch = terminalProcedure
  // Admission runs before the batch is parsed: a refused push costs almost nothing.
  .use(async ({ ctx, next }) => {
    // Store ids are unique per organization only: the key carries both, so one chain's storm
    // never takes another chain's slots. The store's slots are in PostgreSQL: every central
    // instance counts the same pushes.
    const { organizationId, storeId } = ctx.terminal;
    const release = await ingestAdmission
      .admit({ organizationId, storeId }, pgStoreSlots(ctx.db.sql))
      .catch((error: unknown) => {
        if (error instanceof AppError && error.kassaCode === "RETRY_LATER") ingestAdmissionRefusals.inc();
        throw error;
      });
    try {
      return await next();
    } finally {
      await release();
    }
  })
  .input(ZPushBatchInput)
  .output(ZPushBatchOutput)
  .mutation(async ({ ctx, input }) => {
    if (input.terminalId !== ctx.terminal.id) {
      throw new AppError("FORBIDDEN", {
        message: `This key belongs to terminal ${ctx.terminal.id}; it cannot write terminal ${input.terminalId}'s data.`,
      });
    }
    // Text PostgreSQL cannot store is refused per item here, never a 500 for the whole batch.
    const screened = screenUnstorable(input.items);
    const started = performance.now();
    const outcome = await ingestBatch(
      ctx.db.sql,
      ctx.terminal,
      { ...input, items: screened.items },
      ctx.now(),
    );
    const results = mergeResults(input.items.length, screened.refused, outcome.results);
    recordIngestBatch(results, (performance.now() - started) / 1000);
    return {
      ...outcome,
      results,
      lease: { token: outcome.lease.token, expiresAtMs: outcome.lease.expiresAt.getTime() },
    };
  });
