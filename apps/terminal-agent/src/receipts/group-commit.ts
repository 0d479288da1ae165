/**
 * Group commit: receipts accepted in the same event-loop turn share one SQLite transaction, so one
 * fsync (synchronous=FULL) makes a whole burst durable. Under load, requests queue up while a commit
 * syncs and the next turn takes them all; alone, a receipt waits one `setImmediate` hop. Each caller
 * is answered only after the commit that holds its receipt.
 */
export interface PendingAccept<Row> {
  row: Row;
  bodyHash: string;
}

interface Entry<Row> extends PendingAccept<Row> {
  key: string;
  resolve: () => void;
  reject: (error: unknown) => void;
  done: Promise<void>;
}

export class GroupCommit<Row> {
  private batch: Entry<Row>[] = [];
  private readonly byKey = new Map<string, Entry<Row>>();
  private scheduled = false;

  /**
   * @param commitAll writes every row in one transaction (throws to roll all back)
   * @param commitOne writes one row in its own transaction: the fallback when a batch fails, so one
   *   bad row (a key taken by another process) does not fail its neighbours
   */
  constructor(
    private readonly commitAll: (rows: Row[]) => void,
    private readonly commitOne: (row: Row) => void,
  ) {}

  /** A receipt under this idempotency key waiting for its commit, if any. */
  pending(key: string): (PendingAccept<Row> & { done: Promise<void> }) | undefined {
    return this.byKey.get(key);
  }

  add(key: string, bodyHash: string, row: Row): Promise<void> {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Entry<Row> = { key, bodyHash, row, resolve, reject, done };
    this.batch.push(entry);
    this.byKey.set(key, entry);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    this.scheduled = false;
    try {
      this.commitAll(batch.map((e) => e.row));
      for (const e of batch) this.settle(e, null);
    } catch {
      for (const e of batch) {
        try {
          this.commitOne(e.row);
          this.settle(e, null);
        } catch (error) {
          this.settle(e, error);
        }
      }
    }
  }

  private settle(entry: Entry<Row>, error: unknown): void {
    this.byKey.delete(entry.key);
    if (error === null) entry.resolve();
    else entry.reject(error);
  }
}
