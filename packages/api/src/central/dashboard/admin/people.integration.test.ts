import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { kassaAuthFor } from "../../auth/kassa-auth.ts";
import { signIn } from "../../auth/sign-in.ts";
import { createSignInThrottle } from "../../auth/throttle.ts";
import { acceptInvitation, previewInvitation } from "./invitation.ts";
import { INVITATION_TTL_MS } from "./people.types.ts";
import { adminCaller, callerWithHeaders, freshSessionHeaders, lazy } from "./test-caller.ts";

// People: invite by email with a one-time set-password link, role and store scope, removal that
// ends sessions, and the organization never left without an owner.

// Accepting a link and signing in hash at OWASP's scrypt parameters: seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const NOW = new Date("2026-12-01T09:00:00Z");
let db: CentralDatabase;
const ids = {} as Record<"org" | "other" | "store1" | "store2", string>;
const users = {} as Record<"owner" | "support" | "otherOwner", string>;
const call = (user: keyof typeof users, now = NOW) => lazy(adminCaller(db, users[user], now));
const tokenOf = (path: string) => new URL(path, "http://x").searchParams.get("token")!;
/** A real sign-in (better-auth, the password check), from a test client address. */
const signInAs = (email: string, password: string) =>
  signIn(
    kassaAuthFor(db, "test-session-secret-0123456789abcdef"),
    { email, password },
    {
      headers: new Headers(),
      address: "127.0.0.1",
    },
  );
/** The sign-in throttle an existing account's current password is counted in (invitation.ts). */
const proof = () => ({ throttle: createSignInThrottle(db), address: "127.0.0.1" });
const auditCount = () => db.prisma.auditEvent.count({ where: { organizationId: ids.org } });

beforeAll(async () => {
  db = await createTestCentralDatabase();
  const p = db.prisma;
  ids.org = (await seedOrganization(p, { name: "Optika" })).id;
  ids.other = (await seedOrganization(p, { name: "Other chain" })).id;
  ids.store1 = (await seedStore(p, { organizationId: ids.org, name: "Tverskaya" })).id;
  ids.store2 = (await seedStore(p, { organizationId: ids.org, name: "Nevsky" })).id;
  users.owner = (
    await seedUser(p, { organizationId: ids.org, role: "owner", email: "owner@optika.test" })
  ).user.id;
  users.support = (await seedUser(p, { organizationId: ids.org, role: "support" })).user.id;
  users.otherOwner = (
    await seedUser(p, { organizationId: ids.other, role: "owner", email: "boss@other.test" })
  ).user.id;
}, 60_000);
afterAll(async () => db?.close());

describe("admin.people", () => {
  it("an invited manager sets a password through the one-time link, signs in and is scoped to one store", async () => {
    const invited = await call("owner").admin.people.invite({
      email: " Mila@Optika.test ",
      name: "Mila",
      role: "manager",
      storeIds: [ids.store1],
    });
    expect(invited.invitation).toMatchObject({
      email: "mila@optika.test",
      role: "manager",
      storeIds: [ids.store1],
    });
    expect(invited.invitation.expiresAt.getTime() - NOW.getTime()).toBe(INVITATION_TTL_MS);
    const token = tokenOf(invited.path);
    // Only the token's hash is stored.
    const row = await db.prisma.userInvitation.findFirstOrThrow({ where: { email: "mila@optika.test" } });
    expect(row.tokenHash).not.toContain(token);
    await expect(previewInvitation(db, token, NOW)).resolves.toMatchObject({
      email: "mila@optika.test",
      organizationName: "Optika",
    });
    const listed = await call("owner").admin.people.list();
    expect(listed.invitations.map((i) => i.email)).toContain("mila@optika.test");

    await expect(acceptInvitation(db, { token, password: "short" }, NOW, proof())).rejects.toMatchObject({
      kassaCode: "VALIDATION_FAILED",
    });
    await expect(
      acceptInvitation(db, { token, password: "a good long password" }, NOW, proof()),
    ).resolves.toMatchObject({
      passwordSet: true,
    });
    // Single use.
    await expect(
      acceptInvitation(db, { token, password: "another password" }, NOW, proof()),
    ).rejects.toMatchObject({
      kassaCode: "INVITATION_INVALID",
    });
    const signedIn = await signInAs("mila@optika.test", "a good long password");
    expect(signedIn).toBeTruthy();
    const mila = await db.prisma.user.findUniqueOrThrow({ where: { email: "mila@optika.test" } });
    const me = await callerWithHeaders(db, await freshSessionHeaders(db, mila.id), NOW).me();
    expect(me.stores.map((s) => s.id)).toEqual([ids.store1]);
    const people = await call("owner").admin.people.list();
    expect(people.members.find((m) => m.email === "mila@optika.test")).toMatchObject({
      role: "manager",
      storeIds: [ids.store1],
    });
    expect(people.invitations.map((i) => i.email)).not.toContain("mila@optika.test");
    const actions = (await db.prisma.auditEvent.findMany({ where: { organizationId: ids.org } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["member.invite", "invitation.accept"]));
  });

  it("an expired or revoked link is refused with INVITATION_INVALID and creates nobody", async () => {
    const expiring = await call("owner").admin.people.invite({
      email: "late@optika.test",
      name: "Late",
      role: "support",
    });
    const later = new Date(NOW.getTime() + INVITATION_TTL_MS + 1);
    await expect(
      acceptInvitation(
        db,
        { token: tokenOf(expiring.path), password: "long enough password" },
        later,
        proof(),
      ),
    ).rejects.toMatchObject({
      kassaCode: "INVITATION_INVALID",
      message: expect.stringContaining("expired"),
      // The reason the set-password page says in the reader's language.
      fieldErrors: { token: ["expired"] },
    });
    const revoked = await call("owner").admin.people.invite({
      email: "gone@optika.test",
      name: "Gone",
      role: "support",
    });
    await call("owner").admin.people.revokeInvitation({ invitationId: revoked.invitation.id });
    await expect(
      acceptInvitation(db, { token: tokenOf(revoked.path), password: "long enough password" }, NOW, proof()),
    ).rejects.toMatchObject({
      kassaCode: "INVITATION_INVALID",
    });
    await expect(previewInvitation(db, "not-a-token", NOW)).rejects.toMatchObject({
      kassaCode: "INVITATION_INVALID",
    });
    expect(
      await db.prisma.user.count({ where: { email: { in: ["late@optika.test", "gone@optika.test"] } } }),
    ).toBe(0);
  });

  it("an invitation to an existing account joins it with its current password, never setting one", async () => {
    const invited = await call("owner").admin.people.invite({
      email: "boss@other.test",
      name: "Boss",
      role: "support",
    });
    const token = tokenOf(invited.path);
    // The preview does not tell the inviting owner whether the email has an account.
    expect(await previewInvitation(db, token, NOW)).not.toHaveProperty("existingAccount");
    for (const [input, reason] of [
      [{ token, password: "owner-chosen password" }, "required"],
      [{ token, password: "owner-chosen password", currentPassword: "a guess" }, "wrong"],
    ] as const) {
      await expect(acceptInvitation(db, input, NOW, proof())).rejects.toMatchObject({
        kassaCode: "INVITATION_INVALID",
        fieldErrors: { currentPassword: [reason] },
      });
    }
    expect(await db.prisma.membership.count({ where: { userId: users.otherOwner } })).toBe(1);
    await expect(
      acceptInvitation(
        db,
        { token, password: "owner-chosen password", currentPassword: "kassa-test-password" },
        NOW,
        proof(),
      ),
    ).resolves.toMatchObject({
      passwordSet: false,
    });
    await expect(signInAs("boss@other.test", "owner-chosen password")).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await db.prisma.membership.count({ where: { userId: users.otherOwner } })).toBe(2);
  });

  it("refuses a manager without stores, an owner with stores, unknown stores and a member's email, changing nothing", async () => {
    const before = [await db.prisma.userInvitation.count(), await auditCount()];
    const bad = [
      { email: "x@optika.test", name: "X", role: "manager" as const, storeIds: [] },
      { email: "x@optika.test", name: "X", role: "owner" as const, storeIds: [ids.store1] },
      { email: "x@optika.test", name: "X", role: "manager" as const, storeIds: ["nope"] },
      { email: "not an email", name: "X", role: "support" as const },
    ];
    for (const input of bad) {
      await expect(call("owner").admin.people.invite(input)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(
      call("owner").admin.people.invite({ email: "owner@optika.test", name: "Me", role: "support" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      kassaCode: "ALREADY_EXISTS",
    });
    await expect(
      call("support").admin.people.invite({ email: "y@optika.test", name: "Y", role: "support" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect([await db.prisma.userInvitation.count(), await auditCount()]).toEqual(before);
  });

  it("changes a role and scope; the last owner can be neither demoted nor removed", async () => {
    await call("owner").admin.people.update({
      userId: users.support,
      role: "manager",
      storeIds: [ids.store2],
    });
    const m = await db.prisma.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: ids.org, userId: users.support } },
    });
    expect(m).toMatchObject({ role: "manager", storeIds: [ids.store2] });
    const before = await auditCount();
    await expect(
      call("owner").admin.people.update({ userId: users.owner, role: "support" }),
    ).rejects.toMatchObject({
      kassaCode: "LAST_OWNER",
    });
    await expect(call("owner").admin.people.remove({ userId: users.owner })).rejects.toMatchObject({
      kassaCode: "LAST_OWNER",
    });
    await expect(
      call("owner").admin.people.update({ userId: users.support, role: "manager", storeIds: [ids.store2] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      call("owner").admin.people.update({ userId: "01NOTAMEMBER", role: "owner" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await auditCount()).toBe(before);
    // With a second owner, the first may step down.
    await call("owner").admin.people.update({ userId: users.support, role: "owner" });
    await call("owner").admin.people.update({ userId: users.owner, role: "support" });
    const owner = await db.prisma.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: ids.org, userId: users.owner } },
    });
    expect(owner.role).toBe("support");
  });

  it("removing a member ends their sessions at once", async () => {
    const headers = await freshSessionHeaders(db, users.owner);
    await expect(callerWithHeaders(db, headers, NOW).me()).resolves.toBeTruthy();
    // users.support is an owner now (previous test).
    const removed = await call("support").admin.people.remove({ userId: users.owner });
    expect(removed.sessionsEnded).toBeGreaterThanOrEqual(1);
    await expect(callerWithHeaders(db, headers, NOW).me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const audit = await db.prisma.auditEvent.findFirst({
      where: { action: "member.remove", targetId: users.owner },
    });
    expect(audit?.summary).toContain("owner@optika.test");
  });
});
