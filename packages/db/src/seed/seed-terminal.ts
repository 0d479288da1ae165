import type { PrismaClient, Terminal, TerminalStatus } from "../../generated/central/client.ts";
import { issueTerminalCredential } from "../central/terminal-credentials.ts";
import { newId } from "../ids.ts";
import { nextNumber, seedStore } from "./seed-organization.ts";

export interface SeedTerminalInput {
  /** With `storeId`: an existing store of this organization. Alone: a new store in it. Neither: a new organization and store. */
  organizationId?: string;
  storeId?: string;
  id?: string;
  name?: string;
  status?: TerminalStatus;
  lastSyncAt?: Date | null;
  clockSkewMs?: number | null;
}

export interface SeededTerminal {
  terminal: Terminal;
  /** The plaintext credential (`<id>.<secret>`): only its hash is stored, so this is the one chance to keep it. */
  key: string;
}

export async function seedTerminal(
  prisma: PrismaClient,
  input: SeedTerminalInput = {},
): Promise<SeededTerminal> {
  if (input.storeId && !input.organizationId) {
    throw new TypeError('"organizationId" is required with "storeId" (stores are keyed by organization)');
  }
  const store =
    input.storeId && input.organizationId
      ? { organizationId: input.organizationId, id: input.storeId }
      : await seedStore(prisma, input.organizationId ? { organizationId: input.organizationId } : {});
  const id = input.id ?? newId();
  const { key, keyHash } = issueTerminalCredential(id);
  const terminal = await prisma.terminal.create({
    data: {
      organizationId: store.organizationId,
      storeId: store.id,
      id,
      name: input.name ?? `Till ${nextNumber()}`,
      keyHash,
      ...(input.status ? { status: input.status } : {}),
      ...(input.lastSyncAt !== undefined ? { lastSyncAt: input.lastSyncAt } : {}),
      ...(input.clockSkewMs !== undefined ? { clockSkewMs: input.clockSkewMs } : {}),
    },
  });
  return { terminal, key };
}
