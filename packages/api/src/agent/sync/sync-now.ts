import { posProcedure } from "../trpc.ts";
import { ZSyncReport } from "./sync-now.types.ts";

/** Runs a sync round now and reports what was delivered. */
export const syncNow = posProcedure.output(ZSyncReport).mutation(({ ctx }) => ctx.services.sync.now());
