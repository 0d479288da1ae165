import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
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
    // biome-ignore lint/suspicious/noExplicitAny: the beacon's JSON is validated by the procedure's zod input
    return caller.dashboard.rum.report(input as any);
  });
}
