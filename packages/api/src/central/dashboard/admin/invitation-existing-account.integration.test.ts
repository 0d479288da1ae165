import type { CentralDatabase } from "@kassa/db/central";
import { seedOrganization, seedStore, seedUser } from "@kassa/db/seed";
import { createTestCentralDatabase } from "@kassa/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKassaAuth } from "../../auth/kassa-auth.ts";
import { signIn } from "../../auth/sign-in.ts";
import { signedInContext, TEST_SESSION_SECRET, testSessionCookie } from "../../auth/testing.ts";
import { createSignInThrottle } from "../../auth/throttle.ts";
import { createCentralContext } from "../../context.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";
import { acceptInvitation } from "./invitation.ts";

// Security review B1 (/work/review-auth.md): an invitation link for an email that already has an
// account used to join that account with no proof from its holder — the inviting owner (of ANY
// organization) could open the link themselves and then, by removing the "member", end every
// session of that account at will. The holder must now type the account's current password.

const NOW = new Date("2026-12-01T09:00:00Z");
const createCaller = createCallerFactory(dashboardRouter);
let db: CentralDatabase;
const proof = () => ({ throttle: createSignInThrottle(db), address: "198.51.100.7" });
const tokenOf = (path: string) => new URL(path, "https://x.test").searchParams.get("token") ?? "";
const callerWithCookie = (cookie: string) =>
  createCaller(
    createCentralContext({ db, headers: new Headers({ cookie }), sessionSecret: TEST_SESSION_SECRET }),
  );

beforeAll(async () => {
  db = await createTestCentralDatabase();
}, 60_000);
afterAll(async () => db?.close());

/** A chain whose owner invites `email` (an account of another chain) to a store of theirs. */
async function attackerInvites(email: string, chain: string) {
  const attackerOrg = await seedOrganization(db.prisma, { name: chain });
  const store = await seedStore(db.prisma, { organizationId: attackerOrg.id, name: "Bait" });
  const { user: attacker } = await seedUser(db.prisma, { organizationId: attackerOrg.id, role: "owner" });
  const owner = createCaller(signedInContext(db, attacker.id, { now: () => NOW }));
  const { path } = await owner.admin.people.invite({
    email,
    name: "Victim",
    role: "support",
    storeIds: [store.id],
  });
  return { owner, token: tokenOf(path), organizationId: attackerOrg.id };
}

describe("an invitation to an existing account", { timeout: 60_000 }, () => {
  it("is not accepted without the account holder's password, and the account joins nothing", async () => {
    const victimOrg = await seedOrganization(db.prisma, { name: "Victim chain" });
    const { user: victim } = await seedUser(db.prisma, {
      organizationId: victimOrg.id,
      role: "owner",
      email: "owner@victim.test",
    });
    const { token } = await attackerInvites(victim.email, "Attacker chain");
    // The attacker opens their own link: no current password, then a guessed one.
    for (const input of [
      { token },
      { token, password: "attacker password" },
      { token, currentPassword: "guess" },
    ]) {
      await expect(acceptInvitation(db, input, NOW, proof())).rejects.toMatchObject({
        kassaCode: "INVITATION_INVALID",
        message: expect.stringContaining("owner@victim.test"),
      });
    }
    const memberships = await db.prisma.membership.findMany({ where: { userId: victim.id } });
    expect(memberships.map((m) => m.organizationId)).toEqual([victimOrg.id]);
  });

  it("wrong current passwords count in the sign-in throttle of that account", async () => {
    const org = await seedOrganization(db.prisma, { name: "Throttled chain" });
    const { user, password } = await seedUser(db.prisma, {
      organizationId: org.id,
      email: "held@victim.test",
    });
    const { token } = await attackerInvites(user.email, "Guessing chain");
    const auth = createKassaAuth({ db, secret: TEST_SESSION_SECRET, throttle: { accountFailures: 2 } });
    const { throttle } = auth;
    const guess = () =>
      acceptInvitation(db, { token, currentPassword: "guess" }, NOW, { throttle, address: null });
    await expect(guess()).rejects.toMatchObject({ kassaCode: "INVITATION_INVALID" });
    await expect(guess()).rejects.toMatchObject({ kassaCode: "USER_LOCKED" });
    // Locked now even with the right password, here and on the sign-in page (same account key).
    await expect(
      acceptInvitation(db, { token, currentPassword: password }, NOW, { throttle, address: null }),
    ).rejects.toMatchObject({ kassaCode: "USER_LOCKED" });
    await expect(
      signIn(
        auth,
        { email: user.email, password },
        {
          headers: new Headers(),
          address: null,
        },
      ),
    ).rejects.toMatchObject({ kassaCode: "USER_LOCKED" });
    expect(await db.prisma.membership.count({ where: { userId: user.id } })).toBe(1);
  });

  it("so no owner can end another account's sessions: invite it, open the link, remove it", async () => {
    const victimOrg = await seedOrganization(db.prisma, { name: "Victim chain 2" });
    const { user: victim } = await seedUser(db.prisma, {
      organizationId: victimOrg.id,
      role: "owner",
      email: "owner2@victim.test",
    });
    const victimSession = await testSessionCookie(db, victim.id);
    const { owner, token } = await attackerInvites(victim.email, "Attacker chain 2");
    await expect(acceptInvitation(db, { token }, NOW, proof())).rejects.toMatchObject({
      kassaCode: "INVITATION_INVALID",
    });
    await expect(owner.admin.people.remove({ userId: victim.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // The victim never dealt with the attacker's chain: their own session still works.
    await expect(callerWithCookie(victimSession).me()).resolves.toMatchObject({
      user: { email: victim.email },
    });
  });

  it("the holder joins with their current password; removed again, they keep their sessions for their own chain", async () => {
    const homeOrg = await seedOrganization(db.prisma, { name: "Home chain" });
    const home = await seedStore(db.prisma, { organizationId: homeOrg.id, name: "Home store" });
    const { user, password } = await seedUser(db.prisma, {
      organizationId: homeOrg.id,
      role: "owner",
      email: "two-chains@victim.test",
    });
    const { owner, token, organizationId } = await attackerInvites(user.email, "Second chain");
    await expect(
      acceptInvitation(db, { token, currentPassword: password }, NOW, proof()),
    ).resolves.toMatchObject({ email: user.email, passwordSet: false });
    expect(await db.prisma.membership.count({ where: { userId: user.id } })).toBe(2);
    const session = await testSessionCookie(db, user.id);
    const before = await callerWithCookie(session).admin.stores.list({ organizationId });
    expect(before.stores.map((s) => s.name)).toEqual(["Bait"]);

    const removed = await owner.admin.people.remove({ userId: user.id });
    expect(removed.sessionsEnded).toBe(0);
    const caller = callerWithCookie(session);
    // Out of the second chain at once (scope is read per request), still in their own.
    await expect(caller.admin.stores.list({ organizationId })).resolves.toEqual({ stores: [] });
    await expect(caller.admin.stores.list({ organizationId: homeOrg.id })).resolves.toMatchObject({
      stores: [expect.objectContaining({ id: home.id })],
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { organizationId, action: "member.remove", targetId: user.id },
    });
    expect(audit.summary).toContain("can no longer open this organization");
  });
});
