-- Fleet that shows what is wrong (issue 9): per till, the status snapshot the agent syncs on every
-- round (`terminal_status`, the newest HLC wins) and the counters ingest keeps beside it, so Fleet
-- reads one row per till instead of counting DLQ items, refused receipts and breaker transitions.
-- CreateTable
CREATE TABLE "terminal_status" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "snapshot_hlc" TEXT,
    "snapshot" JSONB,
    "measured_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3),
    "signature" TEXT,
    "online_since" TIMESTAMPTZ(3),
    "dlq_pending" INTEGER NOT NULL DEFAULT 0,
    "receipts_attention" INTEGER NOT NULL DEFAULT 0,
    "breakers" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "terminal_status_pkey" PRIMARY KEY ("organization_id","terminal_id")
);

-- CreateTable
-- A row each time the health-relevant part of a till's status changed (the terminal page's 24 h);
-- ingest keeps the newest 500 per till.
CREATE TABLE "terminal_status_history" (
    "organization_id" TEXT NOT NULL,
    "terminal_id" TEXT NOT NULL,
    "hlc" TEXT NOT NULL,
    "measured_at" TIMESTAMPTZ(3) NOT NULL,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "terminal_status_history_pkey" PRIMARY KEY ("organization_id","terminal_id","hlc")
);

-- The counters start from what is already stored, so an upgraded fleet shows its DLQ backlog,
-- refused receipts and breaker states before each till's next sync.
INSERT INTO "terminal_status" ("organization_id", "terminal_id", "dlq_pending", "receipts_attention", "breakers")
SELECT t."organization_id", t."id",
  (SELECT count(*)::int FROM "dlq_items" d
    WHERE d."organization_id" = t."organization_id" AND d."terminal_id" = t."id" AND d."status" = 'pending'),
  (SELECT count(*)::int FROM "receipts" r
    WHERE r."organization_id" = t."organization_id" AND r."terminal_id" = t."id"
      AND r."attention_at" IS NOT NULL AND r."voided_at" IS NULL AND r."fd_number" IS NULL),
  COALESCE((SELECT jsonb_object_agg(b."destination",
      jsonb_build_object('state', b."to_state", 'since', to_char(b."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'cause', b."cause"))
    FROM (SELECT DISTINCT ON ("destination") "destination", "to_state", "at", "cause" FROM "breaker_transitions" x
          WHERE x."organization_id" = t."organization_id" AND x."terminal_id" = t."id"
          ORDER BY "destination", "at" DESC) b), '{}'::jsonb)
FROM "terminals" t;
