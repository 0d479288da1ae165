import type { HybridLogicalClock } from "./clock/hlc.ts";
import type { BufferDb } from "./db/buffer.ts";

/**
 * Real-user metrics of the till (PIN login time, …), queued in the outbox as kind `rum` for the
 * central server, which stores them as RUM samples. Payload: {metric, valueMs, at, labels}.
 */
export class RumRecorder {
  private readonly insert;
  private seq = 0;

  constructor(
    db: BufferDb,
    private readonly hlc: HybridLogicalClock,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare(
      "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'rum', ?, ?, ?)",
    );
  }

  record(metric: string, valueMs: number, labels: Record<string, string> = {}): void {
    const hlc = this.hlc.now();
    const at = new Date(this.now()).toISOString();
    this.insert.run(
      `${hlc}-${++this.seq}`,
      hlc,
      JSON.stringify({ metric, valueMs: Math.round(valueMs * 1000) / 1000, at, labels }),
    );
  }
}
