import { webVitalUnit } from "../../rum.ts";
import { permitted } from "../dashboard/permissions.ts";
import { insertRumSamples, type RumSampleRow } from "./store-samples.ts";
import { ZReportWebVitalsInput, ZReportWebVitalsOutput } from "./view-rum.types.ts";

/**
 * `dashboard.rum.report`: the dashboard's own web vitals (the reporter's beacon on page hide,
 * through POST /api/rum). Stored as RUM samples of the user's first organization, with no store
 * and no till, `source` "web:<user id>", id = name + the web-vitals id (unique per page view and
 * metric). The time is the server's: the library's metric carries none, and the beacon leaves the
 * page within seconds of measuring. Because that time differs between two sends, the sample key
 * (which holds `at`) cannot catch a repeat: ids reported in the last day are looked up first, and
 * a repeat (web-vitals re-reports CLS and INP with the same id when a page is hidden again) keeps
 * the first value — histograms only add, so a sample is never replaced.
 */
/** How far back a repeated web-vitals id is looked for: a page view does not outlive a day. */
const REPEAT_WINDOW_MS = 86_400_000;

export const reportWebVitalsProcedure = permitted("profile.view")
  .input(ZReportWebVitalsInput)
  .output(ZReportWebVitalsOutput)
  .mutation(async ({ ctx, input }) => {
    const organizationId = ctx.scope.memberships[0]!.organizationId;
    const at = ctx.now().toISOString();
    const rows: RumSampleRow[] = input.vitals.map((vital) => ({
      source: `web:${ctx.user.id}`,
      id: `${vital.name}:${vital.id}`,
      storeId: null,
      terminalId: null,
      sample: {
        metric: `web_vital.${vital.name}`,
        value: vital.value,
        unit: webVitalUnit(vital.name),
        at,
        labels: {
          rating: vital.rating,
          ...(vital.navigationType ? { navigation_type: vital.navigationType } : {}),
          page: input.page,
        },
      },
    }));
    const seen = await ctx.db.sql.query<{ id: string }>(
      `SELECT id FROM rum_samples
       WHERE organization_id = $1 AND source = $2 AND id = ANY($3::text[]) AND at >= $4`,
      [
        organizationId,
        `web:${ctx.user.id}`,
        rows.map((r) => r.id),
        new Date(ctx.now().getTime() - REPEAT_WINDOW_MS),
      ],
    );
    const known = new Set(seen.map((r) => r.id));
    const fresh = rows.filter((r, i) => !known.has(r.id) && rows.findIndex((o) => o.id === r.id) === i);
    const outcome = await insertRumSamples(ctx.db.sql, organizationId, fresh);
    let stored = 0;
    for (const status of outcome.values()) if (status === "accepted") stored++;
    return { stored, duplicates: rows.length - stored };
  });
