import http from "node:http";

/**
 * The bench's POS clients, in their own process so they do not share the agent's event loop.
 * Receives one job over IPC, answers with counts and latencies.
 */
export interface LoadJob {
  url: string;
  path: string;
  token: string;
  /** "receipt": a fresh sale per request; "noop": an empty JSON body. */
  body: "receipt" | "noop";
  /** Closed loop: this many clients, each sending its next request when the last is answered. */
  concurrency: number;
  durationMs: number;
  /** Open loop instead: one request every 1000/ratePerSecond ms, whatever the answers do. */
  ratePerSecond?: number;
  keyPrefix: string;
}

export interface LoadResult {
  ok: number;
  errors: number;
  elapsedMs: number;
  /** Per request: [receiptId or "", round trip ms]. */
  samples: [string, number][];
  firstError?: string;
}

function sale(key: string): string {
  return JSON.stringify({
    idempotencyKey: key,
    kind: "sale",
    cashier: { name: "Ivanova A.", inn: "500100732259" },
    items: [
      { name: "Lens Essilor 1.6", price: 450000, quantity: 2, vat: "vat20" },
      { name: "Frame", price: 120000, quantity: 1, vat: "vat20" },
      { name: "Cleaning cloth", price: 15000, quantity: 1, vat: "vat20" },
    ],
    payments: [{ type: "cash", amount: 1100000 }],
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const target = new URL(`${job.url}/trpc/${job.path}`);
  let n = 0;
  const result: LoadResult = { ok: 0, errors: 0, elapsedMs: 0, samples: [] };
  const one = () =>
    new Promise<void>((resolve) => {
      const body = job.body === "receipt" ? sale(`${job.keyPrefix}-${n++}`) : "{}";
      const started = performance.now();
      const req = http.request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${job.token}`,
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const ms = performance.now() - started;
            if (res.statusCode === 200) {
              result.ok++;
              const id =
                job.body === "receipt"
                  ? (JSON.parse(Buffer.concat(chunks).toString()).result.data.receiptId as string)
                  : "";
              result.samples.push([id, ms]);
            } else {
              result.errors++;
              result.firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            }
            resolve();
          });
        },
      );
      req.on("error", (error) => {
        result.errors++;
        result.firstError ??= String(error);
        resolve();
      });
      req.end(body);
    });

  const start = performance.now();
  const end = start + job.durationMs;
  if (job.ratePerSecond) {
    const interval = 1000 / job.ratePerSecond;
    const pending: Promise<void>[] = [];
    for (let next = start; next < end; next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(one());
    }
    await Promise.all(pending);
  } else {
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (performance.now() < end) await one();
      }),
    );
  }
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  return result;
}

process.on("message", (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
