import { router } from "../trpc.ts";
import { pullCashiers } from "./pull-cashiers.ts";
import { pushBatch } from "./push-batch.ts";

/** What terminal agents call: authenticated by the terminal key, scoped to that terminal. */
export const ingestRouter = router({
  push: pushBatch,
  cashiers: pullCashiers,
});
