import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { upsertCashier } from "@kassa/api/central";
import { CREDENTIAL_PROVIDER, createUser, setUserPassword } from "@kassa/api/central/auth";
import {
  type CentralDatabase,
  issueTerminalCredential,
  type Role,
  verifyPassword,
  verifyTerminalKey,
} from "@kassa/db/central";
import { DEMO, provisionDemo } from "../stack/provision.ts";

/**
 * The demo chain: the stack's demo organization (its first store, till and owner come from
 * provisionDemo, which the e2e suite shares) grown into two shops, N tills, a manager scoped to the
 * first shop, a support engineer, and one cashier per till with a PIN. Idempotent like
 * provisionDemo: fixed ids, and the secrets kept in the credentials file (mode 0600) are reused
 * while they still match the database, so a second run continues with the same fleet.
 */

// Valid ULIDs (Crockford base32, 26 characters), distinct from provisionDemo's.
const fleetId = (kind: number, n: number) =>
  `01KASSAF${String(kind).padStart(2, "0")}${String(n).padStart(16, "0")}`;

export interface FleetTill {
  /** 1-based, as the status board and the incident script name them. */
  number: number;
  terminalId: string;
  terminalKey: string;
  storeId: string;
  storeName: string;
  cashier: { login: string; pin: string; name: string };
}

export interface FleetPerson {
  email: string;
  password: string;
  role: Role;
}

export interface FleetProvision {
  organizationId: string;
  stores: { id: string; name: string }[];
  tills: FleetTill[];
  owner: FleetPerson;
  manager: FleetPerson;
  support: FleetPerson;
}

interface SavedFleet {
  terminalKeys?: Record<string, string>;
  passwords?: Record<string, string>;
}

/** Thresholds the demo chain starts with (organization settings; see packages/api alerts/thresholds.ts). */
export const DEMO_ALERT_THRESHOLDS = { breakerOpenMinutes: 1 };

const STORES = [
  { name: "Tverskaya 12", timezone: "Europe/Moscow" },
  { name: "Nevsky 48", timezone: "Europe/Moscow" },
];

const CASHIERS = [
  "Иванова А.",
  "Петров С.",
  "Смирнова Е.",
  "Кузнецов Д.",
  "Попова М.",
  "Соколов И.",
  "Лебедева О.",
  "Новиков П.",
];

export async function provisionFleet(
  db: CentralDatabase,
  options: { tills: number; credentialsFile: string },
): Promise<FleetProvision> {
  if (!Number.isInteger(options.tills) || options.tills < 1 || options.tills > 50)
    throw new RangeError("--tills must be 1 to 50");
  const base = await provisionDemo(db, {
    credentialsFile: options.credentialsFile.replace(/\.json$/, "-stack.json"),
  });
  const saved = readSaved(options.credentialsFile);
  const terminalKeys: Record<string, string> = {};
  const passwords: Record<string, string> = {};
  const { prisma } = db;
  const organizationId = base.organizationId;

  // The demo's OFD outage lasts 2 minutes: a breaker open for 1 of them is worth an alert here
  // (the default is 15). Only while the owner has not set thresholds on the settings page.
  await db.sql.query(
    `UPDATE organizations SET alert_thresholds = $2::jsonb WHERE id = $1 AND alert_thresholds = '{}'::jsonb`,
    [organizationId, JSON.stringify(DEMO_ALERT_THRESHOLDS)],
  );

  const stores = [{ id: base.storeId, name: STORES[0]!.name }];
  for (let i = 1; i < STORES.length; i++) {
    const id = fleetId(1, i + 1);
    await prisma.store.upsert({
      where: { organizationId_id: { organizationId, id } },
      create: { organizationId, id, name: STORES[i]!.name, timezone: STORES[i]!.timezone },
      update: {},
    });
    stores.push({ id, name: STORES[i]!.name });
  }

  // Tills fill the first shop, then the second: 6 tills = 3 + 3.
  const perStore = Math.ceil(options.tills / stores.length);
  const tills: FleetTill[] = [];
  for (let number = 1; number <= options.tills; number++) {
    const store = stores[Math.min(stores.length - 1, Math.floor((number - 1) / perStore))]!;
    const cashier = {
      login: `cashier${number}`,
      pin: String(1000 + number * 111).slice(-4),
      name: CASHIERS[(number - 1) % CASHIERS.length]!,
    };
    if (number === 1) {
      tills.push({
        number,
        terminalId: base.terminalId,
        terminalKey: base.terminalKey,
        storeId: store.id,
        storeName: store.name,
        cashier,
      });
      continue;
    }
    const terminalId = fleetId(2, number);
    const existing = await prisma.terminal.findUnique({
      where: { id: terminalId },
      select: { keyHash: true },
    });
    let key = saved.terminalKeys?.[terminalId];
    if (!existing || !key || !verifyTerminalKey(key, existing.keyHash)) {
      const credential = issueTerminalCredential(terminalId);
      key = credential.key;
      await prisma.terminal.upsert({
        where: { id: terminalId },
        create: {
          organizationId,
          storeId: store.id,
          id: terminalId,
          name: `Till ${number}`,
          keyHash: credential.keyHash,
        },
        update: { keyHash: credential.keyHash, status: "active" },
      });
    }
    terminalKeys[terminalId] = key;
    tills.push({ number, terminalId, terminalKey: key, storeId: store.id, storeName: store.name, cashier });
  }

  for (const till of tills) {
    await upsertCashier(
      db.sql,
      {
        organizationId,
        id: fleetId(3, till.number),
        login: till.cashier.login,
        name: till.cashier.name,
        pin: till.cashier.pin,
        storeIds: [till.storeId],
      },
      new Date(),
    );
  }

  /** A dashboard login with its membership; the saved password is kept while it still signs in. */
  const person = async (email: string, name: string, role: Role, storeIds: string[]) => {
    let user = await prisma.user.findUnique({ where: { email }, select: { id: true } });
    let password = saved.passwords?.[email];
    if (!user) {
      password = randomBytes(9).toString("base64url");
      user = await createUser(db, { email, name, password, emailVerified: true });
    } else {
      const account = await prisma.account.findFirst({
        where: { userId: user.id, providerId: CREDENTIAL_PROVIDER },
        select: { password: true },
      });
      if (!password || !account?.password || !(await verifyPassword(password, account.password))) {
        password = randomBytes(9).toString("base64url");
        await setUserPassword(db, user.id, password);
      }
    }
    const userId = user.id;
    await prisma.membership.upsert({
      where: { organizationId_userId: { organizationId, userId } },
      create: { organizationId, userId, role, storeIds },
      update: { role, storeIds },
    });
    passwords[email] = password!;
    return { email, password: password!, role };
  };
  const manager = await person("manager@kassa.local", "Demo Manager", "manager", [stores[0]!.id]);
  const support = await person("support@kassa.local", "Demo Support", "support", []);

  mkdirSync(dirname(options.credentialsFile), { recursive: true });
  writeFileSync(options.credentialsFile, `${JSON.stringify({ terminalKeys, passwords }, null, 2)}\n`, {
    mode: 0o600,
  });
  return {
    organizationId,
    stores,
    tills,
    owner: { email: DEMO.ownerEmail, password: base.ownerPassword, role: "owner" },
    manager,
    support,
  };
}

function readSaved(file: string): SavedFleet {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as SavedFleet;
  } catch {
    return {};
  }
}
