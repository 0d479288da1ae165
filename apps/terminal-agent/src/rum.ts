import type { TReportRumInput, TReportRumOutput } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import { type TRumSample, webVitalUnit } from "@kassa/api/rum";
import type { HybridLogicalClock } from "./clock/hlc.ts";
import type { BufferDb } from "./db/buffer.ts";

type Unit = TRumSample["unit"];
type Labels = Record<string, string>;

export interface RumOptions {
  /** The flush timer's failures (SQLite busy, disk full): logged, the samples kept for the next one. */
  onError?: (error: unknown) => void;
  /** Samples the buffer keeps at most (KASSA_RUM_MAX_SAMPLES); beyond it the oldest are dropped. */
  maxSamples: number;
  /** Share of measurements kept, 0..1 (KASSA_RUM_SAMPLE_RATE). Events are always kept. */
  sampleRate: number;
  /** Default Math.random; tests pass a sequence. */
  random?: () => number;
  /** How often the queue is written to SQLite, ms. Default 1,000. */
  flushMs?: number;
  /** `rum.dropped` is reported at most this often, ms of the agent's clock. Default 60,000. */
  dropReportMs?: number;
  /** Gauges (`buffer.fill`) are read at most this often, ms of the agent's clock. Default 60,000. */
  gaugeMs?: number;
}

export const DEFAULT_RUM_MAX_SAMPLES = 50_000;

/** What the agent's services record through: measurements are sampled, events never. */
export type RumSink = Pick<RumRecorder, "measure" | "event">;

/** Samples waiting for the next flush at most; more (SQLite unwritable for long) are dropped and counted. */
const MAX_QUEUED = 10_000;
const DROPPED_KEY = "rum.dropped";
/** A drop report's item id ends so: when one is itself evicted, its count is carried on, not lost. */
const REPORT_SUFFIX = "-dropped";

interface Queued {
  metric: string;
  value: number;
  unit: Unit;
  labels: Labels;
  atMs: number;
}

/**
 * The till's real-user metrics (issue 11): receipt phases, printer and serial times, sync batches,
 * offline periods, PIN logins, breaker transitions, device events, the POS's web vitals and marks.
 * Each sample is an outbox row of kind `rum` (payload `ZRumSample`: {metric, value, unit, at, labels})
 * that the sync worker delivers with everything else; `at` is when it was measured, kept through
 * any outage.
 *
 * Recording is a push onto an in-memory queue, so it never costs a receipt an SQLite write; the
 * queue is written once a second in one transaction without an fsync of its own (a crash loses at
 * most the last second of samples, never anything else). The buffer keeps at most `maxSamples` of them: beyond that the oldest are
 * deleted — only `rum` rows, never a receipt — and counted in `meta` (`rum.dropped`, same
 * transaction), and the count goes out as a `rum.dropped` sample. A drop report that is itself
 * evicted hands its count on, so the reported drops always add up to the samples lost.
 */
export class RumRecorder {
  private queue: Queued[] = [];
  private readonly gauges: { metric: string; unit: Unit; read: () => number; lastMs: number }[] = [];
  private readonly statements;
  private readonly writeBatch;
  /** An upper bound of the rum rows in the outbox (the sync worker deletes delivered ones unseen). */
  private storedBound: number;
  private lastReportMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private readonly random: () => number;

  constructor(
    private readonly db: BufferDb,
    private readonly hlc: HybridLogicalClock,
    private readonly now: () => number,
    private readonly options: RumOptions = { maxSamples: DEFAULT_RUM_MAX_SAMPLES, sampleRate: 1 },
  ) {
    if (!(options.maxSamples >= 1)) throw new RangeError("maxSamples must be at least 1");
    this.random = options.random ?? Math.random;
    // The outbox's unique index (destination, kind, item_id) serves the count and the eviction:
    // item ids are HLCs, so their order is the order the samples were written in.
    this.statements = {
      insert: db.prepare<[string, string, string]>(
        "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'rum', ?, ?, ?)",
      ),
      count: db.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE destination = 'central' AND kind = 'rum'",
      ),
      evict: db.prepare<[number], { item_id: string; payload: string; attempts: number }>(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE destination = 'central' AND kind = 'rum' ORDER BY item_id LIMIT ?
         ) RETURNING item_id, payload, attempts`,
      ),
      clearErrors: db.prepare<[string]>(
        "DELETE FROM sync_errors WHERE destination = 'central' AND kind = 'rum' AND item_id = ?",
      ),
      readDropped: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      saveDropped: db.prepare<[string, string]>(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
    this.storedBound = this.statements.count.get()!.n;
    this.writeBatch = db.transaction((batch: Queued[], lost: number) => this.write(batch, lost));
  }

  /** A measurement (a duration, a size): kept with probability `sampleRate`; true if kept. */
  measure(metric: string, value: number, unit: Unit, labels: Labels = {}, atMs?: number): boolean {
    const rate = this.options.sampleRate;
    if (rate < 1 && !(this.random() < rate)) return false;
    this.enqueue(metric, value, unit, labels, atMs);
    return true;
  }

  /**
   * Something that happened (an offline period, a breaker transition, a device event): always
   * kept, whatever the sampling — they are few, and the RUM page draws them as bands and marks.
   */
  event(metric: string, value: number, unit: Unit, labels: Labels = {}, atMs?: number): void {
    this.enqueue(metric, value, unit, labels, atMs);
  }

  /** A level read on every flush at most every `gaugeMs` (`buffer.fill`). Sampled like a measurement. */
  gauge(metric: string, unit: Unit, read: () => number): void {
    this.gauges.push({ metric, unit, read, lastMs: Number.NEGATIVE_INFINITY });
  }

  /** Samples lost to the bound (or to a full queue) and not yet reported; persisted. */
  get droppedUnreported(): number {
    return Number(this.statements.readDropped.get(DROPPED_KEY)?.value ?? 0);
  }

  /** Samples recorded and not yet written to SQLite. */
  get queued(): number {
    return this.queue.length;
  }

  /** Rum rows in the outbox, counted now. */
  stored(): number {
    return this.statements.count.get()!.n;
  }

  start(): void {
    this.timer = setInterval(() => {
      try {
        this.flush();
      } catch (error) {
        this.options.onError?.(error);
      }
    }, this.options.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is queued (a failure is reported, never thrown at shutdown). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      this.flush();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** Writes the queue (and the gauges due) in one transaction; a failure keeps the queue for the next try. */
  flush(): void {
    const nowMs = this.now();
    for (const gauge of this.gauges) {
      if (nowMs - gauge.lastMs < (this.options.gaugeMs ?? 60_000)) continue;
      gauge.lastMs = nowMs;
      this.measure(gauge.metric, gauge.read(), gauge.unit, {}, nowMs);
    }
    const batch = this.queue;
    const lost = this.lost;
    if (batch.length === 0 && lost === 0 && !this.reportDue(nowMs)) return;
    this.queue = [];
    this.lost = 0;
    // Without an fsync (synchronous=NORMAL, as the inline writer stores fiscal attributes): safe
    // against a killed process, synced by the next receipt's FULL commit. A power cut may lose the
    // last samples, never a receipt, and the flush never holds the event loop for a disk flush.
    this.db.pragma("synchronous = NORMAL");
    try {
      this.writeBatch(batch, lost);
    } catch (error) {
      // SQLite busy or full: the samples wait for the next flush (the queue stays bounded).
      this.queue = batch.concat(this.queue);
      this.lost += lost;
      this.trimQueue();
      throw error;
    } finally {
      this.db.pragma("synchronous = FULL");
    }
  }

  /** Samples that did not fit the in-memory queue since the last flush. */
  private lost = 0;

  private enqueue(metric: string, value: number, unit: Unit, labels: Labels, atMs?: number): void {
    this.queue.push({ metric, value, unit, labels, atMs: atMs ?? this.now() });
    this.trimQueue();
  }

  private trimQueue(): void {
    const excess = this.queue.length - MAX_QUEUED;
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.lost += excess;
  }

  private reportDue(nowMs: number): boolean {
    return nowMs - this.lastReportMs >= (this.options.dropReportMs ?? 60_000) && this.droppedUnreported > 0;
  }

  /** One transaction: the samples, the eviction beyond the bound, the drop count and its report. */
  private write(batch: Queued[], lost: number): void {
    const s = this.statements;
    for (const sample of batch) this.insert(sample, "");
    this.storedBound += batch.length;
    let dropped = Number(s.readDropped.get(DROPPED_KEY)?.value ?? 0) + lost;
    const nowMs = this.now();
    const max = this.options.maxSamples;
    if (this.storedBound > max) this.storedBound = s.count.get()!.n;
    let excess = this.storedBound - max;
    const reportDue = nowMs - this.lastReportMs >= (this.options.dropReportMs ?? 60_000);
    const report = reportDue && (dropped > 0 || excess > 0);
    // The report is a row too: room is made for it, so the bound holds after this transaction.
    // (A sample evicted while a push carrying it is in flight may still arrive; it is counted as
    // dropped all the same. That needs the bound hit while the central server answers: rare.)
    if (report) excess += 1;
    if (excess > 0) {
      for (const row of s.evict.all(excess)) {
        dropped += row.item_id.endsWith(REPORT_SUFFIX) ? reportedCount(row.payload) : 1;
        if (row.attempts > 0) s.clearErrors.run(row.item_id);
        this.storedBound -= 1;
      }
    }
    if (report && dropped > 0) {
      this.insert(
        { metric: "rum.dropped", value: dropped, unit: "count", labels: {}, atMs: nowMs },
        REPORT_SUFFIX,
      );
      this.storedBound += 1;
      this.lastReportMs = nowMs;
      dropped = 0;
    }
    s.saveDropped.run(DROPPED_KEY, String(dropped));
  }

  private insert(sample: Queued, suffix: string): void {
    const hlc = this.hlc.now();
    const payload: TRumSample = {
      metric: sample.metric,
      value: Math.round(sample.value * 1000) / 1000,
      unit: sample.unit,
      at: new Date(sample.atMs).toISOString(),
      labels: sample.labels,
    };
    this.statements.insert.run(`${hlc}${suffix}`, hlc, JSON.stringify(payload));
  }
}

/** The count a drop report carried (0 if its payload is unreadable: it was ours, so it never is). */
function reportedCount(payload: string): number {
  try {
    const value = (JSON.parse(payload) as { value?: unknown }).value;
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}

/** How far a mark's own `at` may sit from the till's clock: a POS clock gone wrong is refused, not stored. */
const MARK_FUTURE_MS = 5 * 60_000;
const MARK_PAST_MS = 7 * 86_400_000;

/**
 * `rum.report`: the POS front-end's web vitals (`web_vital.<name>`, labels rating and
 * navigation_type) and marks (`mark.<name>`, ms) as samples. Every item is checked before any is
 * queued, so a refused report records nothing. Returns how many were kept after sampling.
 */
export function reportRum(
  rum: Pick<RumRecorder, "measure">,
  now: () => number,
  input: TReportRumInput,
): TReportRumOutput {
  const nowMs = now();
  const fieldErrors: Record<string, string[]> = {};
  const markTimes = input.marks.map((mark, index) => {
    if (mark.at === undefined) return nowMs;
    const atMs = Date.parse(mark.at);
    if (atMs > nowMs + MARK_FUTURE_MS)
      fieldErrors[`marks.${index}.at`] = ["is more than 5 minutes ahead of the till's clock"];
    else if (atMs < nowMs - MARK_PAST_MS) fieldErrors[`marks.${index}.at`] = ["is more than 7 days old"];
    return atMs;
  });
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "The request is invalid: see fieldErrors.",
      fieldErrors,
    });
  }
  let recorded = 0;
  for (const vital of input.vitals) {
    const kept = rum.measure(
      `web_vital.${vital.name}`,
      vital.value,
      webVitalUnit(vital.name),
      {
        rating: vital.rating,
        ...(vital.navigationType ? { navigation_type: vital.navigationType } : {}),
      },
      nowMs,
    );
    if (kept) recorded += 1;
  }
  input.marks.forEach((mark, index) => {
    if (rum.measure(`mark.${mark.name}`, mark.valueMs, "ms", {}, markTimes[index])) recorded += 1;
  });
  return { recorded };
}
