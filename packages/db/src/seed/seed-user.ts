import type { Membership, PrismaClient, Role, User } from "../../generated/central/client.ts";
import { newId } from "../ids.ts";
import { hashPassword } from "../secrets/passwords.ts";
import { nextNumber, seedOrganization } from "./seed-organization.ts";

export interface SeedUserInput {
  /** Default: a new organization. */
  organizationId?: string;
  /** Default "manager". */
  role?: Role;
  /** Store scope of the role; empty (default) = every store of the organization. */
  storeIds?: string[];
  id?: string;
  email?: string;
  name?: string;
  /** Default "kassa-test-password". */
  password?: string;
}

export interface SeededUser {
  user: User;
  membership: Membership;
  /** The plaintext password, for sign-in in tests. */
  password: string;
}

export async function seedUser(prisma: PrismaClient, input: SeedUserInput = {}): Promise<SeededUser> {
  const organizationId = input.organizationId ?? (await seedOrganization(prisma)).id;
  const id = input.id ?? newId();
  const password = input.password ?? "kassa-test-password";
  const role = input.role ?? "manager";
  const user = await prisma.user.create({
    data: {
      id,
      email: input.email ?? `${role}-${id.toLowerCase()}@example.test`,
      name: input.name ?? `Test ${role[0]!.toUpperCase()}${role.slice(1)} ${nextNumber()}`,
      // The password is better-auth's `credential` account (packages/api/src/central/auth).
      accounts: {
        create: {
          id: newId(),
          accountId: id,
          providerId: "credential",
          password: await hashPassword(password),
        },
      },
    },
  });
  const membership = await prisma.membership.create({
    data: { organizationId, userId: user.id, role, storeIds: input.storeIds ?? [] },
  });
  return { user, membership, password };
}
