import { gzipSync } from "node:zlib";
import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentralClient } from "../client.ts";
import { MAX_BATCH_CALLS } from "../http/request-body.ts";
import { hlcAt, sampleReceiptItem } from "./sample-receipts.ts";
import { startStandaloneCentral } from "./standalone-server.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "./test-central.ts";

let db: CentralDatabase;
let dispose: () => Promise<void>;
let terminal: SeededTerminal;
let server: Awaited<ReturnType<typeof startStandaloneCentral>>;

beforeAll(async () => {
  ({ db, dispose } = await openThrowawayCentral());
  [terminal] = (await seedFleet(db, { stores: 1, perStore: 1 })) as [SeededTerminal];
  server = await startStandaloneCentral({ db });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await dispose?.();
});

describe("standalone central server", () => {
  it("takes a gzip batch through the typed client, like the Next.js route", async () => {
    const gzipFetch: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        body: gzipSync(String(init?.body)),
        headers: { ...(init?.headers as Record<string, string>), "content-encoding": "gzip" },
      });
    const client = createCentralClient({ url: server.url, terminalKey: terminal.key, fetch: gzipFetch });
    const now = Date.now();
    const answer = await client.ingest.push.mutate({
      terminalId: terminal.id,
      holder: "agent-a",
      leaseToken: null,
      sentAtMs: now,
      hlc: hlcAt(now),
      items: [sampleReceiptItem(1)],
    });
    expect(answer.results).toMatchObject([{ status: "accepted" }]);
  });

  it("answers a body over the limit with the typed 413 the agent splits batches on", async () => {
    const response = await fetch(`${server.url}/api/trpc/ingest.push`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${terminal.key}` },
      body: "x".repeat(9 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { json: { data: { kassaCode: string } } } };
    expect(body.error.json.data.kassaCode).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers a batch over the cap with a typed 400 before running any call", async () => {
    const calls = Array.from({ length: MAX_BATCH_CALLS + 1 }, (_, i) => i);
    const paths = calls.map(() => "ingest.cashiers").join(",");
    // A well-formed batch (superjson inputs) the router would otherwise answer call by call.
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(calls.map((i) => [i, { json: { since: null } }]))),
    );
    const response = await fetch(`${server.url}/api/trpc/${paths}?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${terminal.key}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { kassaCode: string } } } };
    expect(body.error.json.data.kassaCode).toBe("VALIDATION_FAILED");
  });
});
