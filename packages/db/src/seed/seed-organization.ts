import type { Organization, PrismaClient, Store } from "../../generated/central/client.ts";
import { newId } from "../ids.ts";

let counter = 0;
/** A short suffix that keeps seeded names readable and distinct within one run. */
export const nextNumber = () => ++counter;

export interface SeedOrganizationInput {
  id?: string;
  name?: string;
}

export function seedOrganization(
  prisma: PrismaClient,
  input: SeedOrganizationInput = {},
): Promise<Organization> {
  return prisma.organization.create({
    data: { id: input.id ?? newId(), name: input.name ?? `Test Chain ${nextNumber()}` },
  });
}

export interface SeedStoreInput {
  /** Default: a new organization. */
  organizationId?: string;
  id?: string;
  name?: string;
  /** IANA zone. Default Europe/Moscow (the column default). */
  timezone?: string;
}

export async function seedStore(prisma: PrismaClient, input: SeedStoreInput = {}): Promise<Store> {
  const organizationId = input.organizationId ?? (await seedOrganization(prisma)).id;
  return prisma.store.create({
    data: {
      organizationId,
      id: input.id ?? newId(),
      name: input.name ?? `Store ${nextNumber()}`,
      ...(input.timezone ? { timezone: input.timezone } : {}),
    },
  });
}
