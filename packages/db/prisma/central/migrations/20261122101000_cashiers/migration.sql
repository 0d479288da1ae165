-- CreateTable
CREATE TABLE "cashiers" (
    "organization_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "store_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "login" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "inn" TEXT,
    "pin_hash" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cashiers_pkey" PRIMARY KEY ("organization_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cashiers_organization_id_login_key" ON "cashiers"("organization_id", "login");
