-- The admin area (issue 10): stores, tills, people and organization settings edited from the
-- dashboard, every change written to audit_events in the same transaction as the change.

-- The language a member sees when their browser has no kassa-locale cookie (en | ru).
ALTER TABLE "organizations" ADD COLUMN     "default_locale" TEXT NOT NULL DEFAULT 'en';

-- A store's postal address, as the owner types it (shown on the stores page; free text).
ALTER TABLE "stores" ADD COLUMN     "address" TEXT;

-- Key rotation: the hash the till used before the newest rotation and when it was rotated, so the
-- central server can answer a till still sending the old key with TERMINAL_KEY_ROTATED (it learns
-- why, not just "wrong key"). Only the one previous hash is kept: a key two rotations old is a
-- plain wrong key. retired_at says when a till was retired (status = retired).
ALTER TABLE "terminals" ADD COLUMN     "previous_key_hash" TEXT,
ADD COLUMN     "key_rotated_at" TIMESTAMPTZ(3),
ADD COLUMN     "retired_at" TIMESTAMPTZ(3);

-- CreateTable
-- No foreign keys, like dlq_actions: audit rows outlive what they name.
-- An invitation to the organization: the set-password link's token is stored as SHA-256 only
-- (a 256-bit random token needs no slow hash), valid until expires_at, used once (accepted_at).
CREATE TABLE "user_invitations" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "store_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "token_hash" TEXT NOT NULL,
    "invited_by_id" TEXT NOT NULL,
    "invited_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_user_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_invitations_pkey" PRIMARY KEY ("organization_id","id")
);

-- The set-password page finds an invitation by its token alone (before the organization is known).
CREATE UNIQUE INDEX "user_invitations_token_hash_key" ON "user_invitations"("token_hash");
CREATE INDEX "user_invitations_organization_id_email_idx" ON "user_invitations"("organization_id", "email");

-- CreateTable
-- One admin change: who (id, email at the time, role), when, what (action, target), a one-line
-- summary and the details; store_ids scopes it like dlq_actions (a store-scoped member sees the
-- events of their stores only). Written in the transaction of the change it records.
CREATE TABLE "audit_events" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "result" TEXT NOT NULL DEFAULT 'done',
    "store_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("organization_id","id")
);

CREATE INDEX "audit_events_organization_id_at_idx" ON "audit_events"("organization_id", "at");
