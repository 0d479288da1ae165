/**
 * A second (or third) agent process for the "two processes on one buffer" test: opens the given
 * buffer, runs sync rounds until its outbox is empty (or `rounds` is spent), prints one JSON line
 * per round and exits.
 *
 *   node --import tsx test-worker-process.ts <buffer> <terminalId> <key> <centralUrl> <holder> <rounds> <batch>
 */
import Database from "better-sqlite3";
import { createSyncWorker } from "./index.ts";

const [path, terminalId, terminalKey, centralUrl, holder, rounds, batch] = process.argv.slice(2);
if (!path || !terminalId || !terminalKey || !centralUrl || !holder) {
  console.error("usage: test-worker-process.ts <buffer> <terminalId> <key> <centralUrl> <holder> [rounds]");
  process.exit(2);
}
const db = new Database(path);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = FULL");
const worker = createSyncWorker({
  db,
  terminalId,
  terminalKey,
  centralUrl,
  holder,
  schedule: false,
  watchMs: 0,
  limits: { maxBatchItems: Number(batch ?? 500) },
});
for (let i = 0; i < Number(rounds ?? 50); i++) {
  const report = await worker.now();
  process.stdout.write(
    `${JSON.stringify({ holder, delivered: report.delivered.central, message: report.message })}\n`,
  );
  if (report.pending === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await worker.stop();
db.close();
