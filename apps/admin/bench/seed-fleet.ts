// bench:admin's fleet, seeded by bulk SQL (INSERT … SELECT over generate_series / unnest): a few
// statements instead of a million Prisma rows, so 1,000,000 receipts take seconds, not ~400 s.
// Everything ingest would maintain beside the rows is derived from the seeded rows in the same
// way ingest derives it (sync/store-terminal-status.ts): terminal_status's DLQ and attention
// counters are counts of the seeded items, its breakers the newest seeded transition per
// destination, each shift's cash figures and FD range the sums and numbers of its seeded
// receipts, each receipt names its shift (as today's agents send it) and the cash counters
// (shift_cash_counters, register_shift_documents) are sums of the seeded receipts — or Fleet, the
// terminal page and the reconciliation would show figures that lie.
import type { CentralDatabase } from "@kassa/db/central";
import { newId } from "@kassa/db/central";

export interface FleetSize {
  tills: number;
  /** Shifts per till, one a day going back from today (the newest is still open). */
  shiftsPerTill: number;
  receiptsPerShift: number;
  dlqItems: number;
  fingerprints: number;
  transitions: number;
}

export interface SeededFleet {
  /** The biggest organization (80 % of the stores): the bench's users belong to it. */
  organizationId: string;
  organizations: string[];
  stores: { organizationId: string; id: string }[];
  tills: { organizationId: string; id: string; storeId: string }[];
  counts: { receipts: number; shifts: number; cashMovements: number; dlqItems: number; transitions: number };
  /** Where the seed's time went: the bulk inserts, the counters and snapshots derived from them, ANALYZE. */
  seconds: { rows: number; derived: number; analyze: number };
}

const TILLS_PER_STORE = 10;
const DAY_MS = 86_400_000;
/** Each shift opens this long before the same time of day as the seed and lasts 8 h. */
const SHIFT_OPEN_BEFORE_MS = 8 * 3600_000;
const RECEIPT_STEP_MS = 9 * 60_000;
const OPENING_FLOAT = 100_000;

/** A receipt's figures by its place in the shift (i = 1…R): the same for every shift, so sums are constants. */
const isRefund = (i: number) => i % 25 === 0;
const isCash = (i: number) => i % 3 !== 0;
const totalOf = (i: number) => 10_000 + (i % 7) * 1_500;

/** The till's own cash counters at close for a shift of `receipts` receipts (its cashSummary). */
function shiftCash(receipts: number) {
  let cashSales = 0;
  let cashRefunds = 0;
  for (let i = 1; i <= receipts; i++) {
    if (!isCash(i)) continue;
    if (isRefund(i)) cashRefunds += totalOf(i);
    else cashSales += totalOf(i);
  }
  return { cashSales, cashRefunds };
}

/**
 * The tills' syncs go on while the bench runs: each online till's last sync is set to a few seconds
 * ago (what its next round would write), so a slow seed or the admin build never turns the fleet
 * "offline" under the dashboard. One till in 25 stays offline since 3 h before `now`.
 */
export async function touchFleet(db: CentralDatabase): Promise<void> {
  await db.sql.exec(
    `UPDATE terminals t SET last_sync_at = now() - interval '5 seconds'
     FROM terminal_status s WHERE s.organization_id = t.organization_id AND s.terminal_id = t.id
       AND (s.snapshot ->> 'online')::boolean`,
  );
}

/**
 * Seeds the fleet into an empty migrated central database. `now` is the wall clock the dashboard
 * will be asked at (the LCP pass runs the real server, so the data is relative to the real now).
 */
export async function seedFleet(db: CentralDatabase, size: FleetSize, now: number): Promise<SeededFleet> {
  const storeCount = Math.max(1, Math.ceil(size.tills / TILLS_PER_STORE));
  const orgOf = (s: number) => (s < storeCount * 0.8 ? 0 : s < storeCount * 0.9 ? 1 : 2);
  const organizations = [...new Set(Array.from({ length: storeCount }, (_, s) => orgOf(s)))].map(() =>
    newId(now),
  );
  const stores = Array.from({ length: storeCount }, (_, s) => ({
    organizationId: organizations[orgOf(s)]!,
    id: newId(now),
    name: `Store ${String(s + 1).padStart(2, "0")}`,
  }));
  const tills = Array.from({ length: size.tills }, (_, n) => {
    const store = stores[Math.floor(n / TILLS_PER_STORE)]!;
    return { organizationId: store.organizationId, id: newId(now), storeId: store.id, n: n + 1 };
  });
  const R = size.receiptsPerShift;
  const D = size.shiftsPerTill;
  const cash = shiftCash(R);
  // The day grid: shift d (0 = today's, open) of every till opens at base − d days.
  const base = now - SHIFT_OPEN_BEFORE_MS;
  const ms = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::bigint`;
  const iso = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const hlc = (expr: string) => `lpad(${ms(expr)}::text, 13, '0') || '.00000'`;

  await db.sql.exec("SET synchronous_commit = off");
  await db.sql.query(
    `INSERT INTO organizations (id, name) SELECT id, 'Bench chain ' || n FROM unnest($1::text[]) WITH ORDINALITY AS o(id, n)`,
    [organizations],
  );
  await db.sql.query(
    `INSERT INTO stores (organization_id, id, name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
    [stores.map((s) => s.organizationId), stores.map((s) => s.id), stores.map((s) => s.name)],
  );
  // A till synced 20 s ago; one in 25 went offline 3 h ago (Fleet's "offline since").
  await db.sql.query(
    `INSERT INTO terminals (organization_id, id, store_id, name, key_hash, last_sync_at, clock_skew_ms)
     SELECT o, id, s, 'Till ' || lpad(n::text, 3, '0'), 'bench-not-a-key',
       $4::timestamptz - CASE WHEN n % 25 = 13 THEN interval '3 hours' ELSE interval '20 seconds' END, 12
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(o, id, s, n)`,
    [tills.map((t) => t.organizationId), tills.map((t) => t.id), tills.map((t) => t.storeId), new Date(now)],
  );
  // The seed's working list of tills with their number (dropped at the end).
  await db.sql.exec(
    "CREATE TABLE bench_tills (n int PRIMARY KEY, organization_id text, store_id text, id text, offline boolean)",
  );
  await db.sql.query(
    `INSERT INTO bench_tills SELECT n, o, s, id, n % 25 = 13 FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(o, s, id, n)`,
    [tills.map((t) => t.organizationId), tills.map((t) => t.storeId), tills.map((t) => t.id)],
  );

  // Shift d of till t: number k = D − d (the oldest is 1), opened at base − d days, its receipts
  // every 9 minutes, seq and FD numbers running on from the shift before (FD: the opening report,
  // R receipts, the Z report). Today's shift is open: on one till in ten its last 3 receipts wait
  // for paper (no FD yet); on one in twenty 2 were refused by the register (needs attention).
  const shiftGrid = `bench_tills t CROSS JOIN generate_series(0, ${D - 1}) AS d
    CROSS JOIN LATERAL (SELECT ${D} - d AS k, $1::timestamptz - make_interval(days => d) AS opened) s`;
  // A bulk load builds the receipts' secondary indexes once at the end instead of row by row (the
  // same definitions, read back from pg_indexes; the primary key stays): a third of the seed's time.
  const receiptIndexes = await db.sql.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = 'receipts'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const index of receiptIndexes) await db.sql.exec(`DROP INDEX "${index.name}"`);
  // In two halves at once (odd and even tills): one statement runs on one core, the machine has two.
  const receiptsOf = (half: number) =>
    db.sql.query(
      `INSERT INTO receipts (organization_id, terminal_id, id, store_id, idempotency_key, body_hash, seq, hlc, kind,
       tax_system, cashier_name, total, cash_total, change, items, payments, accepted_at, received_at,
       fd_number, fiscal_sign, fn_number, shift_number, fiscalized_at, attention_code, attention_message, attention_at,
       shift_id)
     SELECT t.organization_id, t.id, 'r' || lpad(${ms("a.at")}::text, 13, '0') || '-' || lpad(t.n::text, 4, '0'),
       t.store_id, 'bench-' || t.n || '-' || a.seq, md5(t.n || '-' || a.seq), a.seq, ${hlc("a.at")},
       (CASE WHEN i % 25 = 0 THEN 'refund' ELSE 'sale' END)::"ReceiptKind", 'osn', 'Ivanova A.',
       a.total, CASE WHEN i % 3 <> 0 THEN a.total ELSE 0 END, 0,
       jsonb_build_array(jsonb_build_object('name', 'Coffee', 'price', a.total, 'quantity', 1, 'sum', a.total, 'vat', 'vat20')),
       jsonb_build_array(jsonb_build_object('type', CASE WHEN i % 3 <> 0 THEN 'cash' ELSE 'card' END, 'amount', a.total)),
       a.at, a.at + interval '1 second',
       CASE WHEN a.unprinted THEN NULL ELSE (s.k - 1) * ${R + 2} + 1 + i END,
       CASE WHEN a.unprinted THEN NULL ELSE (3000000000 + a.seq)::text END,
       CASE WHEN a.unprinted THEN NULL ELSE '99990789' || lpad(t.n::text, 8, '0') END,
       CASE WHEN a.unprinted THEN NULL ELSE s.k END,
       CASE WHEN a.unprinted THEN NULL ELSE a.at + interval '2 seconds' END,
       CASE WHEN a.refused THEN 'KKT_REJECTED' END,
       CASE WHEN a.refused THEN 'The register refused the receipt: the VAT rate is not allowed for this tax system' END,
       CASE WHEN a.refused THEN a.at + interval '1 minute' END,
       'sh' || lpad(${ms("s.opened")}::text, 13, '0') || '-' || t.n
     FROM ${shiftGrid}
     CROSS JOIN generate_series(1, ${R}) AS i
     CROSS JOIN LATERAL (SELECT s.opened + make_interval(secs => i * ${RECEIPT_STEP_MS / 1000}) AS at,
       (s.k - 1) * ${R} + i AS seq, 10000 + (i % 7) * 1500 AS total,
       d = 0 AND t.n % 20 = 5 AND i > ${R - 2} AS refused,
       d = 0 AND ((t.n % 10 = 0 AND i > ${R - 3}) OR (t.n % 20 = 5 AND i > ${R - 2})) AS unprinted) a
     WHERE t.n % 2 = ${half}`,
      [new Date(base)],
    );

  // Cash in on every fourth shift, cash out on the shift after the next: the records the
  // reconciliation sums (terminal_records, kind cash_movement), and the till's counters agree.
  const cashIn = (k: string) => `CASE WHEN ${k} % 4 = 0 THEN 50000 ELSE 0 END`;
  const cashOut = (k: string) => `CASE WHEN ${k} % 4 = 2 THEN 20000 ELSE 0 END`;
  const movements = db.sql.query<{ n: number }>(
    `WITH ins AS (INSERT INTO terminal_records (organization_id, terminal_id, kind, id, hlc, body_hash, data, received_at)
     SELECT t.organization_id, t.id, 'cash_movement', m.id, ${hlc("m.at")}, md5(m.id), jsonb_build_object(
       'id', m.id, 'shiftId', 'sh' || lpad(${ms("s.opened")}::text, 13, '0') || '-' || t.n,
       'kind', m.kind, 'amount', m.amount, 'reason', CASE WHEN m.kind = 'in' THEN 'change float top-up' ELSE 'collection' END,
       'denominations', NULL::text, 'cashierName', 'Ivanova A.', 'at', ${iso("m.at")}, 'hlc', ${hlc("m.at")}), m.at
     FROM ${shiftGrid}
     CROSS JOIN LATERAL (SELECT 'cm' || lpad(${ms("s.opened")}::text, 13, '0') || '-' || t.n AS id,
       s.opened + interval '30 minutes' AS at,
       CASE WHEN s.k % 4 = 0 THEN 'in' ELSE 'out' END AS kind,
       ${cashIn("s.k")} + ${cashOut("s.k")} AS amount) m
     WHERE s.k % 4 IN (0, 2) RETURNING 1) SELECT count(*)::int AS n FROM ins`,
    [new Date(base)],
  );
  // The shift snapshots as the agent syncs them (seed-shift.ts's shape), stored at close (HLC of
  // the close, which bounds its receipts' HLCs). Counted at close: one shift in ten 150 ₽ short
  // (above the 100 ₽ tolerance: needs approval), one in ten 5 ₽ over, one in seventeen not counted.
  const expected = `${OPENING_FLOAT} + ${cash.cashSales} - ${cash.cashRefunds} + ${cashIn("s.k")} - ${cashOut("s.k")}`;
  const shifts = db.sql.query<{ n: number }>(
    `WITH ins AS (INSERT INTO terminal_records (organization_id, terminal_id, kind, id, hlc, body_hash, data, received_at)
     SELECT t.organization_id, t.id, 'shift', x.id, ${hlc("coalesce(x.closed, s.opened)")}, md5(x.id), jsonb_build_object(
       'shiftId', x.id, 'number', s.k, 'status', CASE WHEN d = 0 THEN 'open' ELSE 'closed' END,
       'openedAt', ${iso("s.opened")}, 'expiresAt', ${iso("s.opened + interval '24 hours'")},
       'closedAt', CASE WHEN d = 0 THEN NULL ELSE ${iso("x.closed")} END,
       'cashierName', 'Ivanova A.', 'openingFloat', ${OPENING_FLOAT},
       'openFd', (s.k - 1) * ${R + 2} + 1, 'closeFd', CASE WHEN d = 0 THEN NULL ELSE (s.k - 1) * ${R + 2} + ${R + 2} END,
       'countedCash', CASE WHEN d = 0 OR s.k % 17 = 0 THEN NULL
         ELSE x.expected + CASE s.k % 10 WHEN 3 THEN -15000 WHEN 7 THEN 500 ELSE 0 END END,
       'expectedCash', CASE WHEN d = 0 THEN NULL ELSE x.expected END,
       'hlc', ${hlc("coalesce(x.closed, s.opened)")},
       'cash', CASE WHEN d = 0 THEN NULL ELSE jsonb_build_object('openingFloat', ${OPENING_FLOAT},
         'cashSales', ${cash.cashSales}, 'cashRefunds', ${cash.cashRefunds}, 'cashIn', ${cashIn("s.k")},
         'cashOut', ${cashOut("s.k")}, 'expected', x.expected) END),
       coalesce(x.closed, s.opened)
     FROM ${shiftGrid}
     CROSS JOIN LATERAL (SELECT 'sh' || lpad(${ms("s.opened")}::text, 13, '0') || '-' || t.n AS id,
       CASE WHEN d = 0 THEN NULL ELSE s.opened + interval '8 hours' END AS closed, ${expected} AS expected) x
     RETURNING 1) SELECT count(*)::int AS n FROM ins`,
    [new Date(base)],
  );

  // Breaker trips over the last 30 days: each a cycle closed → open → half_open → closed a minute
  // apart. Cycle c of till (c mod T); its round (c div T) starts at a time of its own; one round in
  // five is an outage (every till's OFD breaker trips within 30 s: correlated), the rest spread
  // over 10 hours (one till alone). The last cycle may be cut short: its till's breaker is open now.
  const tillCount = size.tills;
  const rounds = Math.ceil(size.transitions / 3 / tillCount);
  const roundSpanMs = Math.floor((30 * DAY_MS) / rounds);
  const transitions = db.sql.query<{ n: number }>(
    `WITH ins AS (INSERT INTO breaker_transitions (organization_id, terminal_id, id, destination, at, from_state, to_state, cause, failures)
     SELECT t.organization_id, t.id, x.destination || '-' || lpad(g::text, 7, '0'), x.destination,
       x.at + make_interval(secs => (g % 3) * 60),
       (ARRAY['closed', 'open', 'half_open'])[1 + g % 3], (ARRAY['open', 'half_open', 'closed'])[1 + g % 3],
       (ARRAY['5 consecutive failures; last: connect ETIMEDOUT', 'cool-down elapsed', 'probe succeeded'])[1 + g % 3],
       CASE WHEN g % 3 = 0 THEN 5 ELSE 0 END
     FROM generate_series(0, $2::int - 1) AS g
     CROSS JOIN LATERAL (SELECT (g / 3) % $3 + 1 AS n, (g / 3) / $3 AS round) c
     JOIN bench_tills t ON t.n = c.n
     CROSS JOIN LATERAL (SELECT
       CASE WHEN c.round % 5 = 0 OR c.n % 3 <> 0 THEN 'ofd' ELSE 'central' END AS destination,
       $1::timestamptz - make_interval(secs => ($5::int - 1 - c.round) * $4::double precision / 1000 + 300)
         - CASE WHEN c.round % 5 = 0 THEN make_interval(secs => (c.n * 7) % 30)
                ELSE make_interval(secs => (c.n * 7919) % 36000) END AS at) x
     RETURNING 1) SELECT count(*)::int AS n FROM ins`,
    [new Date(now), size.transitions, tillCount, roundSpanMs, rounds],
  );

  // The DLQ mirror: items of the biggest organization's tills, 50 causes (fingerprints of one error
  // code), dead-lettered over the last 10 days.
  const mainOrg = organizations[0]!;
  const dlq = db.sql.query<{ n: number }>(
    `WITH ins AS (INSERT INTO dlq_items (organization_id, terminal_id, store_id, id, destination, item_kind, item_id, status,
       reason, fingerprint, attempts, errors, payload, hlc, created_at, updated_at)
     SELECT t.organization_id, t.id, t.store_id, 'central.receipt.dlq' || g, 'central', 'receipt', 'dlq' || g, 'pending',
       'items.' || (g % 50) || '.price: 12.5 is not a whole number of kopecks (receipt dlq' || g || ')',
       'VALIDATION_FAILED:' || lpad((g % $3::int)::text, 12, '0'), 20,
       jsonb_build_array(jsonb_build_object('at', x.at, 'attempt', 1, 'message', 'refused'),
         jsonb_build_object('at', x.at + interval '5 minutes', 'attempt', 20, 'message', 'refused')),
       convert_to('{"receiptId":"dlq' || g || '","items":[{"name":"Coffee","price":12.5,"quantity":1}]}', 'UTF8'),
       ${hlc("x.at")}, x.at, x.at
     FROM generate_series(0, $2::int - 1) AS g
     JOIN bench_tills t ON t.organization_id = $1 AND t.n = 1 + g % $4::int
     CROSS JOIN LATERAL (SELECT $5::timestamptz - make_interval(mins => (g * 7) % 14400) AS at) x
     RETURNING 1) SELECT count(*)::int AS n FROM ins`,
    [
      mainOrg,
      size.dlqItems,
      size.fingerprints,
      tills.filter((t) => t.organizationId === mainOrg).length,
      new Date(now),
    ],
  );
  // The biggest organization's tills come first (n = 1…), so `1 + g % count` lands on them.
  const count = (rows: Promise<{ n: number }[]>) => rows.then((r) => r[0]?.n ?? 0);
  const rowsStarted = performance.now();
  const [, , movementCount, shiftCount, transitionCount, dlqCount] = await Promise.all([
    receiptsOf(0),
    receiptsOf(1),
    count(movements),
    count(shifts),
    count(transitions),
    count(dlq),
  ]);

  // Rebuilt two at a time (one per core) before anything below reads receipts.
  const pendingIndexes = [...receiptIndexes];
  const rebuild = async () => {
    for (let index = pendingIndexes.shift(); index; index = pendingIndexes.shift())
      await db.sql.exec(index.definition);
  };
  await Promise.all([rebuild(), rebuild()]);
  const rowsSeconds = (performance.now() - rowsStarted) / 1000;
  const derivedStarted = performance.now();
  // The OFD backlog the relay reports, per till: one till in fifty with its oldest unsent document 26 days old (warn).
  await db.sql.query(
    `INSERT INTO terminal_sync_state (organization_id, terminal_id, ofd_unsent_count, ofd_oldest_unsent_at, ofd_measured_at, last_push_at, last_hlc)
     SELECT t.organization_id, t.id, 3, $1::timestamptz - CASE WHEN t.n % 50 = 7 THEN interval '26 days' ELSE interval '1 hour' END,
       $1::timestamptz - interval '1 minute', tm.last_sync_at, ${hlc("tm.last_sync_at")}
     FROM bench_tills t JOIN terminals tm ON tm.organization_id = t.organization_id AND tm.id = t.id`,
    [new Date(now)],
  );
  // Fleet's counters, as ingest keeps them (RECOUNT_DLQ, RECOUNT_ATTENTION, BREAKER): counted and
  // taken from the rows just seeded, once. The till's own snapshot says the same.
  await db.sql.query(
    `INSERT INTO terminal_status (organization_id, terminal_id, snapshot_hlc, snapshot, measured_at, received_at,
       online_since, dlq_pending, receipts_attention, breakers)
     SELECT t.organization_id, t.id, ${hlc("tm.last_sync_at")}, jsonb_build_object(
         'measuredAt', ${iso("tm.last_sync_at")}, 'online', NOT t.offline, 'lastSyncAt', ${iso("tm.last_sync_at")},
         'pending', CASE WHEN t.n % 10 = 0 THEN 3 ELSE 0 END, 'bufferCapacity', 200000, 'bufferFillPercent', 0,
         'dlqPending', dq.n,
         'breakers', jsonb_build_object('central', coalesce(b.states ->> 'central', 'closed'), 'ofd', coalesce(b.states ->> 'ofd', 'closed')),
         'device', jsonb_build_object('connected', true, 'mode', CASE WHEN t.n % 10 = 0 THEN 'paper_out' ELSE 'shift_open' END,
           'paper', t.n % 10 <> 0, 'shiftOpen', true, 'shiftExpiresAt', ${iso("$1::timestamptz + interval '16 hours'")}),
         'receipts', jsonb_build_object('waitingForDevice', CASE WHEN t.n % 10 = 0 THEN 3 ELSE 0 END,
           'waitingReason', CASE WHEN t.n % 10 = 0 THEN jsonb_build_object('kassaCode', 'DEVICE_PAPER_OUT', 'message', 'Out of paper: load a new roll') END,
           'needsAttention', att.n),
         'fn', jsonb_build_object('unsentCount', 3, 'oldestUnsentAt', ${iso("ss.ofd_oldest_unsent_at")}),
         'register', jsonb_build_object('model', 'ATOL 30F', 'fnNumber', '99990789' || lpad(t.n::text, 8, '0'), 'firmware', '5.8.100'),
         'clockSkewMs', 12),
       tm.last_sync_at, tm.last_sync_at, tm.last_sync_at - interval '6 hours', dq.n, att.n, coalesce(b.detail, '{}')
     FROM bench_tills t
     JOIN terminals tm ON tm.organization_id = t.organization_id AND tm.id = t.id
     JOIN terminal_sync_state ss ON ss.organization_id = t.organization_id AND ss.terminal_id = t.id
     CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM dlq_items q
       WHERE q.organization_id = t.organization_id AND q.terminal_id = t.id AND q.status = 'pending') dq
     CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM receipts r
       WHERE r.organization_id = t.organization_id AND r.terminal_id = t.id
         AND r.attention_at IS NOT NULL AND r.voided_at IS NULL AND r.fd_number IS NULL) att
     LEFT JOIN LATERAL (
       SELECT jsonb_object_agg(l.destination, l.to_state) AS states,
         jsonb_object_agg(l.destination, jsonb_build_object('state', l.to_state, 'since', ${iso("l.at")}, 'cause', l.cause)) AS detail
       FROM (SELECT DISTINCT ON (destination) destination, to_state, at, cause FROM breaker_transitions bt
             WHERE bt.organization_id = t.organization_id AND bt.terminal_id = t.id
             ORDER BY destination, at DESC, id DESC) l) b ON true`,
    [new Date(now)],
  );
  // The cash page's counters, as ingest keeps them beside each receipt it stores (sync/shift-cash.ts:
  // COUNT_STORED per shift the receipt names — today's agents name it — and COUNT_DOCUMENTS per
  // register shift of a printed one). Written from the receipts' formula above (every shift's R
  // receipts have the same sums; only today's shift of a paper-out or refused till printed fewer)
  // rather than by summing the million rows again: 20,000 rows in milliseconds, not seconds.
  const step = RECEIPT_STEP_MS / 1000;
  const unprinted = `CASE WHEN d = 0 AND t.n % 10 = 0 THEN 3 WHEN d = 0 AND t.n % 20 = 5 THEN 2 ELSE 0 END`;
  // With each shift's cash movements (COUNT_MOVEMENTS: the in or out seeded above), the till's
  // receipt before it (RECOMPUTE_PREVIOUS: the last of the shift a day earlier; none before the first)
  // and its stored snapshot (NAME_SNAPSHOTS: the HLC and opening of the snapshot seeded above).
  const previousLast = `s.opened - interval '1 day' + make_interval(secs => ${R * step})`;
  await db.sql.query(
    `INSERT INTO shift_cash_counters (organization_id, terminal_id, shift_id, receipts, voided_receipts,
       cash_sales, cash_refunds, cash_sales_all, cash_refunds_all, min_seq, max_seq, first_hlc,
       prev_seq, prev_hlc, cash_in, cash_out, shift_hlc, shift_opened)
     SELECT t.organization_id, t.id, 'sh' || lpad(${ms("s.opened")}::text, 13, '0') || '-' || t.n, ${R}, 0,
       ${cash.cashSales}, ${cash.cashRefunds}, ${cash.cashSales}, ${cash.cashRefunds},
       (s.k - 1) * ${R} + 1, s.k * ${R}, ${hlc(`s.opened + make_interval(secs => ${step})`)},
       CASE WHEN s.k > 1 THEN (s.k - 1) * ${R} END, CASE WHEN s.k > 1 THEN ${hlc(previousLast)} END,
       ${cashIn("s.k")}, ${cashOut("s.k")},
       ${hlc("CASE WHEN d = 0 THEN s.opened ELSE s.opened + interval '8 hours' END")}, ${iso("s.opened")}
     FROM ${shiftGrid}`,
    [new Date(base)],
  );
  await db.sql.query(
    `INSERT INTO register_shift_documents (organization_id, terminal_id, shift_number, fn_number, receipts,
       first_fiscalized_at, last_fiscalized_at)
     SELECT t.organization_id, t.id, s.k, '99990789' || lpad(t.n::text, 8, '0'), ${R} - u.n,
       s.opened + make_interval(secs => ${step} + 2), s.opened + make_interval(secs => (${R} - u.n) * ${step} + 2)
     FROM ${shiftGrid} CROSS JOIN LATERAL (SELECT ${unprinted} AS n) u`,
    [new Date(base)],
  );
  // The terminal page's last 24 h: the snapshot as it changed, 4 times a day (every 6 h).
  await db.sql.query(
    `INSERT INTO terminal_status_history (organization_id, terminal_id, hlc, measured_at, snapshot)
     SELECT s.organization_id, s.terminal_id, ${hlc("h.at")}, h.at,
       jsonb_set(jsonb_set(s.snapshot, '{measuredAt}', to_jsonb(${iso("h.at")})), '{device,paper}', to_jsonb(j <> 0 OR (s.snapshot #>> '{device,paper}')::boolean))
     FROM terminal_status s CROSS JOIN generate_series(0, 3) AS j
     CROSS JOIN LATERAL (SELECT s.measured_at - make_interval(hours => j * 6) AS at) h`,
  );
  await db.sql.exec("DROP TABLE bench_tills");
  const derivedSeconds = (performance.now() - derivedStarted) / 1000;
  const analyzeStarted = performance.now();
  await db.sql.exec("ANALYZE");
  return {
    organizationId: mainOrg,
    organizations,
    stores,
    tills: tills.map(({ n: _n, ...t }) => t),
    counts: {
      receipts: size.tills * D * R,
      shifts: shiftCount,
      cashMovements: movementCount,
      dlqItems: dlqCount,
      transitions: transitionCount,
    },
    seconds: {
      rows: rowsSeconds,
      derived: derivedSeconds,
      analyze: (performance.now() - analyzeStarted) / 1000,
    },
  };
}
