import type { Fleet } from "./fleet.ts";

/**
 * The demo's live status block: what runs, receipts per second per store, the incident's phase
 * and the alerts firing, redrawn in place on a terminal (one summary line every 10 s otherwise, so
 * a CI log stays readable).
 */
export interface BoardExtras {
  /** Alerts firing now by rule (the central server's /metrics); null when it could not be read. */
  alerts: Record<string, number> | null;
}

export class StatusBoard {
  private lastLines = 0;
  private readonly history: { at: number; counts: number[] }[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  /** Receipts per second per store over the last 10 real seconds. */
  storeRates(now = Date.now()): number[] {
    const counts = this.fleet.provision.stores.map((_, index) =>
      this.fleet.tills
        .filter((till) => till.storeIndex === index)
        .reduce((sum, till) => sum + till.traffic.stats.sales + till.traffic.stats.refunds, 0),
    );
    this.history.push({ at: now, counts });
    while (this.history.length > 1 && now - this.history[0]!.at > 10_000) this.history.shift();
    const oldest = this.history[0]!;
    const seconds = (now - oldest.at) / 1000;
    return counts.map((count, i) => (seconds > 0 ? (count - oldest.counts[i]!) / seconds : 0));
  }

  render(extras: BoardExtras): string[] {
    const { fleet } = this;
    const { provision, clock, incidents } = fleet;
    const rates = this.storeRates();
    const ofd = fleet.ofd.stats();
    const lines = [
      `Kassa — a living shop fleet · shop time ${formatDuration(clock.elapsed())} (×${clock.speed}) · dashboard ${fleet.central.url}`,
      `  sign in: owner ${provision.owner.email} / ${provision.owner.password} · manager ${provision.manager.email} / ${provision.manager.password} · support ${provision.support.email} / ${provision.support.password}`,
      `  OFD emulator: ${fleet.ofd.mode} · documents confirmed ${ofd.documents}, rejected ${ofd.rejected}, refused while down ${ofd.refused}`,
    ];
    provision.stores.forEach((store, index) => {
      const link = fleet.links[index]!;
      lines.push(
        `  ${store.name}: ${rates[index]!.toFixed(1)} receipts/s · network ${link.up ? "up" : "DOWN"}`,
      );
      for (const till of fleet.tills.filter((t) => t.storeIndex === index)) {
        const s = till.traffic.stats;
        const errors = Object.entries(s.errors)
          .map(([code, n]) => `${code}×${n}`)
          .join(" ");
        lines.push(
          `    till ${till.number} ${pad(s.doing, 20)} sales ${s.sales} · refunds ${s.refunds} · cash moves ${s.cashMoves} · not printed at once ${s.notPrintedAtOnce} · shifts closed ${s.shiftsClosed}${errors ? ` · ${errors}` : ""}`,
        );
      }
    });
    const last = incidents.done.at(-1);
    lines.push(
      `  till ${incidents.plan.driftTill}'s clock runs 3 minutes ahead from 30 s after its start: watch its clock skew on Fleet`,
    );
    lines.push(
      `  incident: ${last ? `${formatDuration(last.at)} ${last.label}` : "not started"}${incidents.next ? ` · next at ${formatDuration(incidents.next.at)}: ${incidents.next.label}` : " · script done"}`,
    );
    lines.push(`  alerts firing: ${describeAlerts(extras.alerts)}`);
    lines.push("  Ctrl-C stops every process; data stays in the data directory for the next run.");
    return lines;
  }

  /** Redraws the block in place on a TTY; elsewhere prints one compact line. */
  draw(extras: BoardExtras): void {
    const lines = this.render(extras);
    if (this.out.isTTY) {
      const width = this.out.columns || 160;
      const clipped = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      if (this.lastLines > 0) this.out.write(`\x1b[${this.lastLines}F\x1b[J`);
      this.out.write(`${clipped.join("\n")}\n`);
      this.lastLines = clipped.length;
      return;
    }
    const s = this.fleet.tills.map((t) => t.traffic.stats);
    const sales = s.reduce((sum, x) => sum + x.sales + x.refunds, 0);
    const closed = s.reduce((sum, x) => sum + x.shiftsClosed, 0);
    const last = this.fleet.incidents.done.at(-1);
    this.out.write(
      `[demo ${formatDuration(this.fleet.clock.elapsed())}] receipts ${sales} · shifts closed ${closed} · OFD ${this.fleet.ofd.mode} · incident: ${last?.label ?? "not started"} · alerts firing: ${describeAlerts(extras.alerts)}\n`,
    );
  }
}

export function describeAlerts(alerts: Record<string, number> | null): string {
  if (alerts === null) return "(the central server's /metrics did not answer)";
  const entries = Object.entries(alerts);
  if (entries.length === 0) return "none";
  return entries.map(([rule, n]) => `${rule} ×${n}`).join(", ");
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);
}
