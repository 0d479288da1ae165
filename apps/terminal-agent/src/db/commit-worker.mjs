// The agent's commit thread (plain JavaScript: it must load without a TypeScript loader, under tsx,
// vitest and the bundled build alike). It owns the buffer's write transactions for receipts, so the
// fsync of synchronous=FULL blocks this thread instead of the local API's event loop.
// Protocol: {id, op: "accept", rows} | {id, op: "fiscalized", items} | {id, op: "pragmas"} → {id, error?, value?}
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, pragmas, sql } = workerData;
const db = new Database(path);
for (const pragma of pragmas) db.exec(pragma);

// The main connection does not checkpoint (wal_autocheckpoint=0 there): this thread moves the WAL
// into the database file in the background, so the local API never pays for it.
const checkpoint = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, 1000);

const insertReceipt = db.prepare(sql.insertReceipt);
const insertOutbox = db.prepare(sql.insertOutbox);
const markFiscalized = db.prepare(sql.markFiscalized);

const accept = db.transaction((rows) => {
  for (const row of rows) {
    insertReceipt.run(row);
    insertOutbox.run("central", "receipt", row.id, row.hlc, row.body);
  }
});

const fiscalized = db.transaction((items) => {
  for (const item of items) {
    if (markFiscalized.run(item.update).changes === 0) continue;
    insertOutbox.run(...item.outbox);
  }
});

parentPort.on("message", (message) => {
  try {
    let value;
    if (message.op === "accept") accept(message.rows);
    else if (message.op === "fiscalized") {
      // Recoverable from the FN (see fiscal-store.ts): no fsync for this one.
      db.pragma("synchronous = NORMAL");
      try {
        fiscalized(message.items);
      } finally {
        db.pragma("synchronous = FULL");
      }
    } else if (message.op === "pragmas") {
      value = {
        journalMode: db.pragma("journal_mode", { simple: true }),
        synchronous: db.pragma("synchronous", { simple: true }),
      };
    } else if (message.op === "close") {
      clearInterval(checkpoint);
      db.close();
    }
    parentPort.postMessage({ id: message.id, value });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: error.message, code: error.code } });
  }
});
