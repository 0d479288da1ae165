import type { CentralDatabase } from "@kassa/db/central";
import { newId } from "@kassa/db/central";
import { verifyPassword } from "@kassa/db/secrets";
import { seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { CREDENTIAL_PROVIDER, createUser, revokeUserSessions, setUserPassword } from "./users.ts";

let db: CentralDatabase;
beforeAll(async () => {
  db = await createTestCentralDatabase();
}, 60_000);
afterAll(async () => db?.close());

async function addSession(userId: string): Promise<string> {
  const id = newId();
  await db.prisma.session.create({
    data: { id, token: newId(), userId, expiresAt: new Date(Date.now() + 3600_000) },
  });
  return id;
}

const credentialOf = (userId: string) =>
  db.prisma.account.findUnique({
    where: { providerId_accountId: { providerId: CREDENTIAL_PROVIDER, accountId: userId } },
  });

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("setUserPassword", { timeout: 30_000 }, () => {
  it("replaces the credential the sign-in checks and ends every session of that user only", async () => {
    const { user } = await seedUser(db.prisma, { password: "old-password" });
    const other = await seedUser(db.prisma);
    await addSession(user.id);
    await addSession(user.id);
    const kept = await addSession(other.user.id);

    await setUserPassword(db, user.id, "new-password-1");

    const credential = await credentialOf(user.id);
    expect(await verifyPassword("new-password-1", credential?.password ?? "")).toBe(true);
    expect(await verifyPassword("old-password", credential?.password ?? "")).toBe(false);
    expect(credential?.password).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.prisma.session.findUnique({ where: { id: kept } })).not.toBeNull();
  });

  it("gives an invited user without a password their first credential", async () => {
    const created = await createUser(db, { email: "Invited@Example.test", name: "Invited" });
    expect(created.email).toBe("invited@example.test");
    expect(await credentialOf(created.id)).toBeNull();
    await setUserPassword(db, created.id, "first-password");
    expect(await verifyPassword("first-password", (await credentialOf(created.id))?.password ?? "")).toBe(
      true,
    );
  });

  it("refuses a too short password and an unknown user with typed errors, changing nothing", async () => {
    const { user } = await seedUser(db.prisma, { password: "kept-password" });
    const session = await addSession(user.id);
    const short = await errorOf(setUserPassword(db, user.id, "short"));
    expect(short).toBeInstanceOf(AppError);
    expect((short as AppError).kassaCode).toBe("VALIDATION_FAILED");
    const unknown = await errorOf(setUserPassword(db, "01NOSUCHUSER", "long-enough-password"));
    expect((unknown as AppError).kassaCode).toBe("NOT_FOUND");
    expect(await verifyPassword("kept-password", (await credentialOf(user.id))?.password ?? "")).toBe(true);
    expect(await db.prisma.session.findUnique({ where: { id: session } })).not.toBeNull();
  });
});

describe("revokeUserSessions", { timeout: 30_000 }, () => {
  it("deletes every session of the user and says how many", async () => {
    const { user } = await seedUser(db.prisma);
    await addSession(user.id);
    await addSession(user.id);
    expect(await revokeUserSessions(db, user.id)).toBe(2);
    expect(await revokeUserSessions(db, user.id)).toBe(0);
  });
});

describe("createUser", { timeout: 30_000 }, () => {
  it("creates a user with a password in one write, and refuses a taken email on the email field", async () => {
    const created = await createUser(db, {
      email: "owner2@example.test",
      name: "Owner Two",
      password: "pw-12345678",
    });
    expect(await verifyPassword("pw-12345678", (await credentialOf(created.id))?.password ?? "")).toBe(true);
    const taken = await errorOf(createUser(db, { email: "OWNER2@example.test", name: "Again" }));
    expect((taken as AppError).kassaCode).toBe("VALIDATION_FAILED");
    expect((taken as AppError).fieldErrors).toHaveProperty("email");
    expect(await db.prisma.user.count({ where: { email: "owner2@example.test" } })).toBe(1);
  });
});
