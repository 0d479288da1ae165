import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  type CentralDatabase,
  hashPassword,
  issueTerminalCredential,
  newId,
  verifyPassword,
  verifyTerminalKey,
} from "@kassa/db/central";

// Fixed ids (valid ULIDs: Crockford base32, 26 characters) make provisioning idempotent: a re-run
// finds the same organization, store, terminal and user instead of adding new ones.
const demoId = (n: number) => `01KASSADEM0${String(n).padStart(15, "0")}`;
export const DEMO = {
  organizationId: demoId(1),
  storeId: demoId(2),
  terminalId: demoId(3),
  userId: demoId(4),
  ownerEmail: "owner@kassa.local",
} as const;

export interface DemoProvision {
  organizationId: string;
  storeId: string;
  terminalId: string;
  /** `<terminal id>.<secret>`: the agent's KASSA_TERMINAL_KEY. */
  terminalKey: string;
  ownerEmail: string;
  ownerPassword: string;
}

interface SavedCredentials {
  terminalKey?: string;
  ownerPassword?: string;
}

function readSaved(file: string | undefined): SavedCredentials {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as SavedCredentials;
  } catch {
    return {};
  }
}

/**
 * Seeds the demo organization "Kassa Demo Optics" with one store (Moscow time), one terminal and
 * an owner `owner@kassa.local`. Idempotent: rows are upserted by fixed ids; the terminal key and
 * the owner's password are kept in `credentialsFile` (mode 0600) and reused while they still
 * match the database, otherwise new ones are issued (only hashes are stored centrally).
 */
export async function provisionDemo(
  db: CentralDatabase,
  options: { credentialsFile?: string } = {},
): Promise<DemoProvision> {
  const { prisma } = db;
  const saved = readSaved(options.credentialsFile);
  const { organizationId, storeId, terminalId, userId, ownerEmail } = DEMO;

  await prisma.organization.upsert({
    where: { id: organizationId },
    create: { id: organizationId, name: "Kassa Demo Optics" },
    update: {},
  });
  await prisma.store.upsert({
    where: { organizationId_id: { organizationId, id: storeId } },
    create: { organizationId, id: storeId, name: "Tverskaya 12", timezone: "Europe/Moscow" },
    update: {},
  });

  const terminal = await prisma.terminal.findUnique({ where: { id: terminalId }, select: { keyHash: true } });
  let terminalKey = saved.terminalKey;
  if (!terminal || !terminalKey || !verifyTerminalKey(terminalKey, terminal.keyHash)) {
    const credential = issueTerminalCredential(terminalId);
    terminalKey = credential.key;
    await prisma.terminal.upsert({
      where: { id: terminalId },
      create: { organizationId, storeId, id: terminalId, name: "Till 1", keyHash: credential.keyHash },
      update: { keyHash: credential.keyHash, status: "active" },
    });
  }

  // The password is the owner's better-auth `credential` account (packages/api/src/central/auth).
  const user = await prisma.user.findUnique({
    where: { email: ownerEmail },
    select: { id: true, accounts: { where: { providerId: "credential" }, select: { password: true } } },
  });
  const stored = user?.accounts[0]?.password;
  let ownerPassword = saved.ownerPassword;
  if (!user || !ownerPassword || !stored || !(await verifyPassword(ownerPassword, stored))) {
    ownerPassword = randomBytes(9).toString("base64url");
    const password = await hashPassword(ownerPassword);
    const { id } = await prisma.user.upsert({
      where: { email: ownerEmail },
      create: { id: userId, email: ownerEmail, name: "Demo Owner", emailVerified: true },
      update: {},
      select: { id: true },
    });
    await prisma.account.upsert({
      where: { providerId_accountId: { providerId: "credential", accountId: id } },
      create: { id: newId(), providerId: "credential", accountId: id, userId: id, password },
      update: { password },
    });
    // A new password ends the sessions the old one opened, as setUserPassword does.
    await prisma.session.deleteMany({ where: { userId: id } });
  }
  const owner = await prisma.user.findUniqueOrThrow({ where: { email: ownerEmail }, select: { id: true } });
  await prisma.membership.upsert({
    where: { organizationId_userId: { organizationId, userId: owner.id } },
    create: { organizationId, userId: owner.id, role: "owner", storeIds: [] },
    update: { role: "owner", storeIds: [] },
  });

  if (options.credentialsFile) {
    mkdirSync(dirname(options.credentialsFile), { recursive: true });
    writeFileSync(options.credentialsFile, `${JSON.stringify({ terminalKey, ownerPassword }, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  return { organizationId, storeId, terminalId, terminalKey, ownerEmail, ownerPassword };
}
