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
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new NetworkError(false, err);
    }
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
    if (r.status !== 200 || !Array.isArray(results)) {
      throw new FiscalDeviceError(
        "PROTOCOL_ERROR",
        `The ATOL web server answered ${r.status} without results for request ${uuid}: check the driver.`,
        { uncertain: true },
      );
    }
    return { results: results as AtolTaskResult[] };
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
      throw new FiscalDeviceError(
        r.status >= 400 && r.status < 500 ? "BAD_PARAMETERS" : "DEVICE_ERROR",
        `The ATOL web server refused the request (HTTP ${r.status}${describe(r.json)}). Check the driver; call support if it repeats.`,
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

function describe(json: unknown): string {
  const d = (json as { error?: { description?: string }; description?: string } | null) ?? null;
  const text = d?.error?.description ?? d?.description;
  return text ? `: ${text}` : "";
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
