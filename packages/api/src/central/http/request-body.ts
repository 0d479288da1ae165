import { gunzip } from "node:zlib";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import superjson from "superjson";

/**
 * Most calls one HTTP request may carry. The dashboard batches the queries of a page (its
 * httpBatchLink sends at most this many per request); agents never batch. Without a cap one request
 * could run thousands of procedures past the body limit's intent. Also given to tRPC as
 * `maxBatchSize`, so the handler refuses what slips past this check.
 */
export const MAX_BATCH_CALLS = 10;

/**
 * Prepares a tRPC request for the handler: refuses a batch of more than MAX_BATCH_CALLS calls,
 * enforces the body size limit (before and after
 * decompression, so a small gzip bomb is refused too) and inflates `content-encoding: gzip`
 * bodies, which agents send for sync batches. Returns a Response when the request is refused.
 */
export async function prepareTrpcRequest(
  request: Request,
  options: { maxBytes: number },
): Promise<Request | Response> {
  const calls = batchCalls(request.url);
  if (calls > MAX_BATCH_CALLS) {
    return errorResponse(
      400,
      "BAD_REQUEST",
      "VALIDATION_FAILED",
      `A batch of ${calls} calls is more than this server takes in one request (at most ${MAX_BATCH_CALLS}): send fewer calls per request.`,
    );
  }
  if (request.method !== "POST" || !request.body) return request;
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    return errorResponse(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "VALIDATION_FAILED",
      `Content-Encoding "${encoding}" is not supported: send gzip or an uncompressed body.`,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > options.maxBytes) return tooLarge(options.maxBytes);

  const raw = await readLimited(request.body, options.maxBytes);
  if (raw === null) return tooLarge(options.maxBytes);

  let body = raw;
  if (encoding === "gzip") {
    try {
      body = await gunzipLimited(raw, options.maxBytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return tooLarge(options.maxBytes);
      return errorResponse(
        400,
        "BAD_REQUEST",
        "VALIDATION_FAILED",
        "The request body is not valid gzip: compress it again or send it uncompressed.",
      );
    }
  }
  const headers = new Headers(request.headers);
  headers.delete("content-encoding");
  headers.set("content-length", String(body.byteLength));
  return new Request(request.url, {
    method: request.method,
    headers,
    body: new Uint8Array(body),
    signal: request.signal,
  });
}

/** How many procedures a tRPC batch URL names (`/api/trpc/a,b,c?batch=1`); 1 for a single call. */
function batchCalls(url: string): number {
  const { pathname, searchParams } = new URL(url);
  if (searchParams.get("batch") !== "1") return 1;
  return pathname.slice(pathname.lastIndexOf("/") + 1).split(/,|%2C/i).length;
}

async function readLimited(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function gunzipLimited(input: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(input, { maxOutputLength: maxBytes }, (error, output) =>
      error ? reject(error) : resolve(output),
    );
  });
}

function tooLarge(maxBytes: number): Response {
  return errorResponse(
    413,
    "PAYLOAD_TOO_LARGE",
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than ${maxBytes} bytes: send smaller batches.`,
  );
}

/**
 * An error in tRPC's own envelope (superjson-serialized, as the central router's transformer
 * expects), so the agent's typed client reads `error.data.kassaCode` as for any other error.
 */
function errorResponse(
  status: number,
  code: keyof typeof TRPC_ERROR_CODES_BY_KEY,
  kassaCode: string,
  message: string,
): Response {
  const shape = {
    message,
    code: TRPC_ERROR_CODES_BY_KEY[code],
    data: { code, httpStatus: status, kassaCode },
  };
  return Response.json({ error: superjson.serialize(shape) }, { status });
}
