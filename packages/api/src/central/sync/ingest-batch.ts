import type { TIngestItem } from "../ingest/ingest-items.types.ts";
import { type RumItem, storeRumItems } from "../rum/store-samples.ts";
import { canonicalJson } from "./body-hash.ts";
import { type CommandAckItem, type SyncCommandOut, storeCommandAcks } from "./commands.ts";
import { duplicate, type ItemResult, rejected } from "./item-result.ts";
import { acquireOrRenewLease, type SyncLease } from "./leases.ts";
import type { SqlRunner, TerminalScope, TransactionalSql } from "./sql.ts";
import { type BreakerTransitionItem, storeBreakerTransitions } from "./store-breaker-transitions.ts";
import { countCorrectionCash, countCorrectionDocuments } from "./store-corrections.ts";
import { type DlqMirrorItem, storeDlqMirror } from "./store-dlq-mirror.ts";
import { type FiscalizationItem, storeFiscalizations } from "./store-fiscalizations.ts";
import {
  type ReceiptAttentionItem,
  type ReceiptVoidedItem,
  storeReceiptAttention,
  storeReceiptVoids,
} from "./store-receipt-attention.ts";
import { type ReceiptItem, storeReceipts } from "./store-receipts.ts";
import { type RecordItem, storeRecords } from "./store-records.ts";
import { newestTransitions, storeTerminalStatus, updateTerminalCounters } from "./store-terminal-status.ts";
import { recordTerminalSync } from "./terminal-sync-state.ts";

export interface IngestBatch {
  holder: string;
  leaseToken: string | null;
  sentAtMs: number;
  hlc: string;
  items: readonly TIngestItem[];
}

export interface IngestOutcome {
  results: ItemResult[];
  lease: SyncLease;
  serverTimeMs: number;
  clockSkewMs: number;
  commands: SyncCommandOut[];
}

/**
 * One batch from one terminal: fence by lease, store every kind in bulk (receipts before their
 * fiscalizations), answer per item in the batch's order, and hand back pending support commands.
 */
export function ingestBatch(
  db: TransactionalSql,
  terminal: TerminalScope,
  batch: IngestBatch,
  now: Date,
): Promise<IngestOutcome> {
  // One transaction: the lease row stays locked until the batch is written, so a takeover waits
  // for it and a stale holder's batch can never interleave with the new holder's.
  return db.transaction((sql) => ingestInTransaction(sql, terminal, batch, now));
}

async function ingestInTransaction(
  sql: SqlRunner,
  terminal: TerminalScope,
  batch: IngestBatch,
  now: Date,
): Promise<IngestOutcome> {
  const lease = await acquireOrRenewLease(
    sql,
    terminal,
    { holder: batch.holder, token: batch.leaseToken },
    now,
  );

  // An item repeated inside the batch is answered by comparing it with its first copy (its
  // canonical JSON is worked out only then: the stores hash every body once more anyway).
  const first = new Map<string, { data: unknown; json?: string }>();
  const repeats = new Map<number, ItemResult>();
  const receipts: ReceiptItem[] = [];
  const fiscalizations: FiscalizationItem[] = [];
  const attention: ReceiptAttentionItem[] = [];
  const voids: ReceiptVoidedItem[] = [];
  const records: RecordItem[] = [];
  const rum: RumItem[] = [];
  const transitions: BreakerTransitionItem[] = [];
  const dlq: DlqMirrorItem[] = [];
  const acks: CommandAckItem[] = [];
  let ofdStatus: Extract<TIngestItem, { kind: "ofd_status" }> | undefined;
  let terminalStatus: Extract<TIngestItem, { kind: "terminal_status" }> | undefined;

  batch.items.forEach((item, index) => {
    const key = `${item.kind}:${item.id}`;
    const seen = first.get(key);
    if (seen) {
      seen.json ??= canonicalJson(seen.data);
      repeats.set(
        index,
        seen.json === canonicalJson(item.data)
          ? duplicate(item.kind, item.id)
          : rejected(
              item.kind,
              item.id,
              "BATCH_CONFLICT",
              `${item.kind} ${item.id} appears twice in this batch with different bodies.`,
            ),
      );
      return;
    }
    first.set(key, { data: item.data });
    switch (item.kind) {
      case "receipt":
        receipts.push(item);
        break;
      case "receipt_fiscalized":
        fiscalizations.push(item);
        break;
      case "receipt_attention":
        attention.push(item);
        break;
      case "receipt_voided":
        voids.push(item);
        break;
      case "breaker_transition":
        transitions.push(item);
        break;
      case "dlq_item":
        dlq.push(item);
        break;
      case "command_ack":
        acks.push(item);
        break;
      case "ofd_status":
        if (!ofdStatus || ofdStatus.hlc < item.hlc) ofdStatus = item;
        break;
      case "terminal_status":
        // A snapshot: only the batch's newest can be stored; the older ones are answered with it.
        if (!terminalStatus || terminalStatus.hlc < item.hlc) terminalStatus = item;
        break;
      case "rum":
        // RUM samples go to the partitioned rum_samples and its histograms (central/rum).
        rum.push(item);
        break;
      case "shift":
      case "cash_movement":
      case "device_event":
      // Corrections and their fiscalizations are immutable records (ingest-items.types.ts).
      case "correction":
      case "correction_fiscalized":
        records.push(item);
        break;
      default: {
        const never: never = item;
        throw new Error(`unhandled item kind ${(never as TIngestItem).kind}`);
      }
    }
  });

  const byReceipt = await storeReceipts(sql, terminal, receipts);
  const byFiscal = await storeFiscalizations(sql, terminal, fiscalizations);
  // After the receipts of this batch, and the attention mark before its void (HLC order on the till).
  const byAttention = await storeReceiptAttention(sql, terminal, attention);
  const byVoid = await storeReceiptVoids(sql, terminal, voids);
  const byRecord = await storeRecords(sql, terminal, records);
  await countCorrectionDocuments(sql, terminal, records, byRecord);
  await countCorrectionCash(sql, terminal, records, byRecord);
  const byRum = await storeRumItems(sql, terminal, rum);
  const byTransition = await storeBreakerTransitions(sql, terminal, transitions);
  const byDlq = await storeDlqMirror(sql, terminal, dlq, now);
  const byAck = await storeCommandAcks(sql, terminal, acks);
  const byStatus = await storeTerminalStatus(sql, terminal, terminalStatus, now);
  const clockSkewMs = batch.sentAtMs - now.getTime();
  const commands = await recordTerminalSync(sql, terminal, {
    now,
    clockSkewMs,
    hlc: batch.hlc,
    ofd: ofdStatus?.data,
  });
  // Fleet's counters move with what this batch stored, so the page reads them instead of counting.
  await updateTerminalCounters(sql, terminal, {
    dlq: dlq.length > 0,
    attention: attention.length + voids.length + fiscalizations.length > 0,
    breakers: newestTransitions(transitions),
  });

  const results = batch.items.map((item, index): ItemResult => {
    const repeat = repeats.get(index);
    if (repeat) return repeat;
    const found = (() => {
      switch (item.kind) {
        case "receipt":
          return byReceipt.get(item.id);
        case "receipt_fiscalized":
          return byFiscal.get(item.id);
        case "receipt_attention":
          return byAttention.get(item.id);
        case "receipt_voided":
          return byVoid.get(item.id);
        case "breaker_transition":
          return byTransition.get(item.id);
        case "dlq_item":
          return byDlq.get(item.id);
        case "command_ack":
          return byAck.get(item.id);
        case "ofd_status":
          return { id: item.id, kind: item.kind, status: "accepted" as const };
        case "terminal_status":
          return item === terminalStatus ? byStatus : duplicate(item.kind, item.id);
        case "rum":
          return byRum.get(item.id);
        default:
          return byRecord.get(`${item.kind}:${item.id}`);
      }
    })();
    return (
      found ?? rejected(item.kind, item.id, "INTERNAL", "The item was not processed; send it again.", true)
    );
  });

  return { results, lease, serverTimeMs: now.getTime(), clockSkewMs, commands };
}
