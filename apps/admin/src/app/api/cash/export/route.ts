import { centralRouter, createCallerFactory, createCentralContext } from "@kassa/api/central";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db.ts";

export const dynamic = "force-dynamic";

const createCaller = createCallerFactory(centralRouter);

/**
 * GET /api/cash/export?storeId=&terminalId=&dayFrom=&dayTo=&state= → the cash.exportCsv procedure's
 * text as a file download, through the same caller (session cookie, permission, tenancy) as the page.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const input: Record<string, string> = {};
  for (const key of ["storeId", "terminalId", "dayFrom", "dayTo", "state"]) {
    const value = params.get(key);
    if (value) input[key] = value;
  }
  const caller = createCaller(
    createCentralContext({
      db: await getDb(),
      headers: request.headers,
      auth: await getAuth(),
    }),
  );
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the URL's strings are validated by the procedure's zod input
    const { csv, filename } = await caller.dashboard.cash.exportCsv(input as any);
    // A byte-order mark first: Excel opens UTF-8 CSV (Cyrillic store names) correctly only with it.
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return Response.json(
      { error: { code: error.code, message: error.message } },
      { status: getHTTPStatusCodeFromError(error) },
    );
  }
}
