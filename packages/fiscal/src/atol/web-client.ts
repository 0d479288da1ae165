/**
 * The HTTP side of the ATOL web requests API: post a request under a UUID, read its state, wait for
 * it to finish. It knows which failures leave a task's fate open: a refused connection delivered
 * nothing (certain), a timeout or a reset after the request went out did not say (uncertain).
 */
import { DeviceDisconnectedError, DeviceTimeoutError, FiscalDeviceError } from "../device/errors.ts";
import {
  type AtolRequestState,
  type AtolTask,
  type AtolTaskResult,
  FINAL_STATUSES,
  REQUESTS_PATH,
} from "./protocol.ts";

export interface AtolWebClientOptions {
  /** The driver's web server, e.g. http://127.0.0.1:16732. */
  url: string;
  fetch?: typeof fetch;
  /** One HTTP call, ms. Default 5000. */
  requestTimeoutMs?: number;
  /** How long a task may take before the outcome is called uncertain, ms. Default 60 s. */
  taskTimeoutMs?: number;
  /** Between two polls of a running task, ms. Default 50. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * The largest answer read, bytes. A getFnDocument answer (the biggest Kassa asks for) is a few tens
 * of kilobytes of base64 TLV; anything past this is not the API talking, and reading it whole would
 * cost the till its memory.
 */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const STATUSES: ReadonlySet<string> = new Set([...FINAL_STATUSES, "wait", "inProgress", "blocked"]);

class NetworkError extends Error {
  override readonly name = "NetworkError";
  constructor(
    readonly refused: boolean,
    cause: unknown,
  ) {
    super(String((cause as Error)?.message ?? cause), { cause });
  }
}

function isRefused(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  return code === "ECONNREFUSED";
}

export class AtolWebClient {
  readonly url: string;
  private readonly fetchFn: typeof fetch;
  private readonly requestTimeoutMs: number;
  readonly taskTimeoutMs: number;
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: AtolWebClientOptions) {
    if (!URL.canParse(options.url))
      throw new TypeError(`"url" must be the ATOL web server's URL, got "${options.url}"`);
    this.url = options.url.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? fetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 60_000;
    this.pollMs = options.pollMs ?? 50;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  private async http(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (err) {
      throw new NetworkError(isRefused(err), err);
    }
    const text = await readCapped(res, `${method} ${path}`);
    let json: unknown = null;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    return { status: res.status, json };
  }

  /**
   * The request's state, or null when the server has no request with this UUID (404). `beforePost`:
   * the caller has posted nothing yet, so an unreachable server leaves nothing uncertain.
   */
  async state(uuid: string, options: { beforePost?: boolean } = {}): Promise<AtolRequestState | null> {
    let r: { status: number; json: unknown };
    try {
      r = await this.http("GET", `${REQUESTS_PATH}/${uuid}`);
    } catch (err) {
      throw disconnected(err, !options.beforePost);
    }
    if (r.status === 404) return null;
    const results = (r.json as { results?: unknown })?.results;
    if (r.status !== 200 || !Array.isArray(results) || results.length === 0) {
      throw new FiscalDeviceError(
        "PROTOCOL_ERROR",
        `The ATOL web server answered ${r.status} without results for request ${uuid}: check the driver.`,
        { uncertain: true },
      );
    }
    return { results: results.map((raw, i) => taskResult(raw, uuid, i)) };
  }

  /**
   * Posts the request. A UUID the server already has is not an error: that request is the one this
   * call is about (re-posting after a timeout or a crash). Resolves once the server holds the request.
   */
  async submit(uuid: string, tasks: AtolTask[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let r: { status: number; json: unknown };
      try {
        r = await this.http("POST", REQUESTS_PATH, { uuid, request: tasks });
      } catch (err) {
        // Refused: nothing was delivered. Otherwise the post may have landed: ask by UUID.
        if (err instanceof NetworkError && err.refused) throw disconnected(err, false);
        const held = await this.state(uuid);
        if (held) return;
        if (attempt >= 1) throw disconnected(err, false);
        continue; // not there: posting again under the same UUID cannot make a second task
      }
      if (r.status >= 200 && r.status < 300) return;
      // 409 for a UUID already queued is assumed (unverified); any other answer is checked by UUID.
      const held = await this.state(uuid);
      if (held) return;
      // Only a refusal of what was sent is the receipt's (the agent sets such a receipt aside); a
      // 401/403 (the driver's access settings), 404/405 (not the driver's API at this URL) or a 5xx
      // is the till's setup, and every receipt would be set aside for it.
      const content = r.status === 400 || r.status === 413 || r.status === 422;
      throw new FiscalDeviceError(
        content ? "BAD_PARAMETERS" : "DEVICE_ERROR",
        `The ATOL web server refused the request (HTTP ${r.status}${describe(r.json)}). ${content ? "Check the receipt" : "Check KASSA_ATOL_URL and the driver's web server settings"}; call support if it repeats.`,
      );
    }
  }

  /** Waits until every task of the request is final (or "blocked"); throws uncertain on timeout. */
  async wait(uuid: string, timeoutMs: number = this.taskTimeoutMs): Promise<AtolTaskResult[]> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const s = await this.state(uuid);
      if (!s) {
        // The server forgot the request (restarted, power lost): what it did is for the FN to say.
        throw new DeviceDisconnectedError(
          `The ATOL web server lost request ${uuid} (restarted?): the register is checked before anything is printed again.`,
        );
      }
      const pending = s.results.some((r) => !FINAL_STATUSES.has(r.status) && r.status !== "blocked");
      if (!pending) return s.results;
      if (this.now() >= deadline) {
        throw new DeviceTimeoutError(
          `The register has not finished request ${uuid} in ${Math.round(timeoutMs / 1000)} s: it is checked before anything is printed again.`,
        );
      }
      await this.sleep(this.pollMs);
    }
  }

  /** submit + wait. */
  async run(uuid: string, tasks: AtolTask[], timeoutMs?: number): Promise<AtolTaskResult[]> {
    await this.submit(uuid, tasks);
    return this.wait(uuid, timeoutMs);
  }
}

/**
 * One task's result, checked field by field: whether a receipt printed hangs on `status` and
 * `errorCode` (an uncertain code read as a string would pass for a certain failure and let the
 * receipt print again), so an answer of another shape is an uncertain protocol error, never a guess.
 * A numeric string code is taken as its number (the meaning is unambiguous).
 */
function taskResult(raw: unknown, uuid: string, index: number): AtolTaskResult {
  const bad = (what: string) =>
    new FiscalDeviceError(
      "PROTOCOL_ERROR",
      `The ATOL web server answered task ${index} of request ${uuid} with ${what}: the register is checked before anything is printed again. Check the driver's version.`,
      { uncertain: true },
    );
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return throwing(bad("no result object"));
  const r = raw as Record<string, unknown>;
  if (typeof r.status !== "string" || !STATUSES.has(r.status))
    return throwing(bad(`an unknown status (${JSON.stringify(r.status)?.slice(0, 40)})`));
  let errorCode = 0;
  if (typeof r.errorCode === "number" && Number.isSafeInteger(r.errorCode)) errorCode = r.errorCode;
  else if (typeof r.errorCode === "string" && /^\d{1,6}$/.test(r.errorCode)) errorCode = Number(r.errorCode);
  else if (r.errorCode !== undefined && r.errorCode !== null)
    return throwing(bad("an error code that is no number"));
  if (r.status === "error" && errorCode === 0) return throwing(bad('"error" without an error code'));
  const errorDescription = typeof r.errorDescription === "string" ? r.errorDescription.slice(0, 500) : "";
  return {
    status: r.status as AtolTaskResult["status"],
    errorCode,
    errorDescription,
    ...(r.result === undefined ? {} : { result: r.result }),
  };
}

function throwing(err: Error): never {
  throw err;
}

/** The body as text, refusing (uncertain) one larger than MAX_ANSWER_BYTES without reading it whole. */
async function readCapped(res: Response, what: string): Promise<string> {
  const tooBig = () =>
    new FiscalDeviceError(
      "PROTOCOL_ERROR",
      `The ATOL web server's answer to ${what} is larger than ${MAX_ANSWER_BYTES} bytes: that is not the driver's API. Check the KASSA_ATOL_URL.`,
      { uncertain: true },
    );
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_ANSWER_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooBig();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FiscalDeviceError) throw err;
    throw new NetworkError(false, err);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describe(json: unknown): string {
  const d = (json as { error?: { description?: unknown }; description?: unknown } | null) ?? null;
  const text = d?.error?.description ?? d?.description;
  return typeof text === "string" && text ? `: ${text.slice(0, 200)}` : "";
}

function disconnected(err: unknown, uncertain: boolean): FiscalDeviceError {
  if (err instanceof FiscalDeviceError) return err;
  const timeout =
    (err as Error)?.cause instanceof Error && ((err as Error).cause as Error).name === "TimeoutError";
  if (timeout) {
    return new DeviceTimeoutError(
      "The ATOL web server did not answer in time: check that the driver is running.",
      {
        uncertain,
        cause: err,
      },
    );
  }
  return new DeviceDisconnectedError(
    `The ATOL web server cannot be reached (${(err as Error).message}): check that the ATOL driver is running.`,
    { uncertain, cause: err },
  );
}
