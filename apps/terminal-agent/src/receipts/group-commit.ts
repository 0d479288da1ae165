/**
 * Group commit: receipts accepted while the previous commit is being written share the next SQLite
 * transaction, so one fsync (synchronous=FULL) makes a whole burst durable. One commit is in flight
 * at a time; alone, a receipt waits one `setImmediate` hop. Each caller is answered only after the
 * commit that holds its receipt.
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
  private writing = false;

  /**
   * @param commitAll writes every row in one transaction (rejects to roll all back)
   * @param commitOne writes one row in its own transaction: the fallback when a batch fails, so one
   *   bad row (a key taken by another process) does not fail its neighbours
   */
  constructor(
    private readonly commitAll: (rows: Row[]) => Promise<void>,
    private readonly commitOne: (row: Row) => Promise<void>,
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
    this.schedule();
    return done;
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.batch.length === 0) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    this.writing = true;
    try {
      await this.commitAll(batch.map((e) => e.row));
      for (const e of batch) this.settle(e, null);
    } catch {
      for (const e of batch) {
        try {
          await this.commitOne(e.row);
          this.settle(e, null);
        } catch (error) {
          this.settle(e, error);
        }
      }
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  private settle(entry: Entry<Row>, error: unknown): void {
    this.byKey.delete(entry.key);
    if (error === null) entry.resolve();
    else entry.reject(error);
  }
}
