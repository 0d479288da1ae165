import { gzipSync } from "node:zlib";
import { type CentralClient, createCentralClient } from "@kassa/api/central/client";
import { CentralAnswerError, retryAfterOf } from "./failure.ts";

export interface TransportStats {
  /** Request bytes on the wire (compressed bodies), all pushes so far. */
  bytesSent: number;
  /** Uncompressed request bytes, for the compression ratio. */
  rawBytes: number;
  requests: number;
}

export interface CentralTransportOptions {
  url: string;
  terminalKey: string;
  /** Replaces the global fetch (tests inject faults here). */
  fetch?: typeof fetch;
  /** Gives up on one request after this long, ms. Default 15,000. */
  timeoutMs?: number;
  /** Bodies at least this large are gzipped. Default 256 bytes. */
  compressAbove?: number;
}

/**
 * The typed central client with gzip request bodies (`content-encoding: gzip`, decompressed by the
 * central route handler), a per-request timeout and byte counters for the bytes-per-receipt figure.
 */
export function createCentralTransport(options: CentralTransportOptions): {
  client: CentralClient;
  stats: TransportStats;
} {
  const stats: TransportStats = { bytesSent: 0, rawBytes: 0, requests: 0 };
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const compressAbove = options.compressAbove ?? 256;
  const compressingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    let body = init?.body;
    const headers = new Headers(init?.headers);
    if (typeof body === "string") {
      const raw = Buffer.from(body);
      stats.rawBytes += raw.length;
      if (raw.length >= compressAbove) {
        const gz = gzipSync(raw, { level: 6 });
        body = gz;
        headers.set("content-encoding", "gzip");
        stats.bytesSent += gz.length;
      } else {
        stats.bytesSent += raw.length;
      }
    }
    stats.requests += 1;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`The central server did not answer within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    try {
      const response = await baseFetch(input, { ...init, body, headers, signal: controller.signal });
      // Kassa always answers JSON. Anything else is whatever stands in front of it (a proxy's HTML
      // 400, a "Not Found" during an upgrade): keep its status and first words for the reports
      // instead of tRPC's bare "Unexpected token '<'".
      const contentType = response.headers.get("content-type") ?? "";
      if (!/\bjson\b/i.test(contentType)) {
        const text = await response.text().catch(() => "");
        throw new CentralAnswerError(
          response.status,
          contentType,
          text.replace(/\s+/g, " ").trim().slice(0, 200),
          retryAfterOf(response.headers),
        );
      }
      return response;
    } finally {
      clearTimeout(timer);
    }
  }) as typeof fetch;
  return {
    client: createCentralClient({
      url: options.url,
      terminalKey: options.terminalKey,
      fetch: compressingFetch,
    }),
    stats,
  };
}
