import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/** A beacon carries at most 20 vitals (each ≤ 4 KiB of attribution): 96 KiB is far above a real one. */
export const MAX_BEACON_BYTES = 96 * 1024;

type Report = (input: unknown) => Promise<{ stored: number; duplicates: number }>;

const problem = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * POST /api/rum: the dashboard's web-vitals beacon (navigator.sendBeacon on page hide). The body
 * is bounded before it is parsed, must come from this origin (a beacon from another site cannot
 * post into a signed-in user's RUM), and is validated and stored by `dashboard.rum.report` with
 * the session's user — so an anonymous or malformed beacon is a typed 4xx and stores nothing.
 */
export async function handleBeacon(request: Request, report: Report): Promise<Response> {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host)
    return problem(403, "FORBIDDEN", "A RUM beacon must come from the dashboard's own origin.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BEACON_BYTES)
    return problem(413, "PAYLOAD_TOO_LARGE", `A RUM beacon may be at most ${MAX_BEACON_BYTES} bytes.`);
  const text = await readBounded(request, MAX_BEACON_BYTES);
  if (text === null)
    return problem(413, "PAYLOAD_TOO_LARGE", `A RUM beacon may be at most ${MAX_BEACON_BYTES} bytes.`);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return problem(400, "VALIDATION_FAILED", "A RUM beacon must be JSON: {vitals: [...], page}.");
  }
  try {
    return Response.json(await report(input), { status: 202 });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return problem(getHTTPStatusCodeFromError(error), error.code, error.message);
  }
}

/** The body as text, or null once it passes `max` bytes (a missing or lying content-length included). */
async function readBounded(request: Request, max: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
