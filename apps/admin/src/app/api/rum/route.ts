import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
import type { TReportWebVitalsInput } from "@kassa/api/central/dashboard";
import { getEnv } from "~/env.ts";
import { getDb } from "~/server/db.ts";
import { handleBeacon } from "./beacon.ts";

export const dynamic = "force-dynamic";

const createCaller = createCallerFactory(centralRouter);

/** POST /api/rum: the dashboard's web-vitals beacon (beacon.ts), stored through dashboard.rum.report. */
export async function POST(request: Request): Promise<Response> {
  return handleBeacon(request, async (input) => {
    const caller = createCaller(
      createCentralContext({
        db: await getDb(),
        headers: request.headers,
        sessionSecret: getEnv().sessionSecret,
      }),
    );
    // Unchecked here on purpose: the procedure's zod input validates the beacon's JSON.
    return caller.dashboard.rum.report(input as TReportWebVitalsInput);
  });
}
