-- Per-store ingest admission shared by every central instance: a push holds one of its store's
-- slots (0 … limit − 1) while it runs. UNLOGGED: the rows only describe pushes in flight, which a
-- server crash ends anyway, so they need no WAL (and are empty again after crash recovery).
-- CreateTable
CREATE UNLOGGED TABLE "ingest_admission_slots" (
    "organization_id" TEXT NOT NULL,
    "store_id" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_admission_slots_pkey" PRIMARY KEY ("organization_id","store_id","slot")
);
