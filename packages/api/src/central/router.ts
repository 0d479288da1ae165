import { dashboardRouter } from "./dashboard/router.ts";
import { ingestRouter } from "./ingest/router.ts";
import { router } from "./trpc.ts";

/** The central server: `ingest.*` for terminal agents, `dashboard.*` for the web dashboard. */
export const centralRouter = router({
  ingest: ingestRouter,
  dashboard: dashboardRouter,
});

export type CentralRouter = typeof centralRouter;
