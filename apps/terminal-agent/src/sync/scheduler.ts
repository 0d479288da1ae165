import { networkInterfaces } from "node:os";
import cron, { type ScheduledTask } from "node-cron";

export interface SchedulerOptions {
  /** node-cron expression, or false for no schedule. */
  schedule: string | false;
  /** Watch interval for new outbox rows and network changes, ms; 0 = off. */
  watchMs: number;
  run(): Promise<void>;
  /** The highest outbox id: when it grows, there is something new to deliver. */
  outboxHighWater(): number;
  /** The network came back (it also starts a round). */
  onNetworkBack(): void;
  /** Reads the machine's network interfaces (injected in tests). Default os.networkInterfaces. */
  interfaces?: () => ReturnType<typeof networkInterfaces>;
  log(line: string): void;
}

/**
 * When the worker syncs: on a node-cron schedule, and at once when something happens — a new
 * outbox row (notify or the watcher), the network coming back (an interface appears), `sync.now`.
 */
export function createSyncScheduler(options: SchedulerOptions) {
  let task: ScheduledTask | null = null;
  let watcher: NodeJS.Timeout | null = null;
  let soonTimer: NodeJS.Timeout | null = null;
  let highWater = 0;
  let network = "";
  let stopped = false;

  const fire = () => {
    if (stopped) return;
    options.run().catch((error: unknown) => options.log(`sync round failed: ${(error as Error).message}`));
  };
  const networkSignature = () =>
    Object.entries((options.interfaces ?? networkInterfaces)())
      .filter(([name]) => name !== "lo")
      .map(([name, addrs]) => `${name}:${(addrs ?? []).map((a) => a.address).join(",")}`)
      .sort()
      .join("|");

  return {
    start(): void {
      stopped = false;
      if (options.schedule) task = cron.schedule(options.schedule, fire, { noOverlap: true });
      if (options.watchMs > 0) {
        highWater = options.outboxHighWater();
        network = networkSignature();
        watcher = setInterval(() => {
          const now = options.outboxHighWater();
          const net = networkSignature();
          // An interface or address appeared (cable back, Wi-Fi joined): try the destinations now.
          const networkBack = net !== network && net.length > network.length;
          network = net;
          if (networkBack) options.onNetworkBack();
          else if (now > highWater) fire();
          highWater = now;
        }, options.watchMs);
        watcher.unref();
      }
    },
    /** Sync shortly (coalesces bursts of receipts into one round). */
    soon(delayMs = 20): void {
      if (soonTimer || stopped) return;
      soonTimer = setTimeout(() => {
        soonTimer = null;
        fire();
      }, delayMs);
    },
    stop(): void {
      stopped = true;
      void task?.destroy();
      task = null;
      if (watcher) clearInterval(watcher);
      if (soonTimer) clearTimeout(soonTimer);
      watcher = null;
      soonTimer = null;
    },
  };
}
