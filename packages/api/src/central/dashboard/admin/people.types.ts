import { z } from "zod";

export const ROLES = ["owner", "manager", "support"] as const;

/** How long a set-password link works: three days, enough for a weekend, short enough to go stale. */
export const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;

const ZOrganizationId = z.string().min(1).max(64).optional();
const ZStoreIds = z.array(z.string().min(1).max(64)).max(500).default([]);

export const ZMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  /** null = every store of the organization. */
  storeIds: z.array(z.string()).nullable(),
  createdAt: z.date(),
});
export type TMember = z.infer<typeof ZMember>;

export const ZPendingInvitation = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  storeIds: z.array(z.string()).nullable(),
  invitedBy: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  /** Past expiresAt: the link no longer works; invite again for a new one. */
  expired: z.boolean(),
});
export type TPendingInvitation = z.infer<typeof ZPendingInvitation>;

export const ZListPeopleInput = z.object({ organizationId: ZOrganizationId }).default({});
export type TListPeopleInput = z.input<typeof ZListPeopleInput>;
export const ZListPeopleOutput = z.object({
  organizationId: z.string(),
  members: z.array(ZMember),
  invitations: z.array(ZPendingInvitation),
});
export type TListPeopleOutput = z.infer<typeof ZListPeopleOutput>;

export const ZInviteMemberInput = z.object({
  organizationId: ZOrganizationId,
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  name: z.string().trim().min(1, "Enter the person's name.").max(200),
  role: z.enum(ROLES),
  /** Managers: the stores they run (at least one). Support: empty = every store. Owners: none. */
  storeIds: ZStoreIds,
});
export type TInviteMemberInput = z.input<typeof ZInviteMemberInput>;

/** The one answer carrying the set-password token in plain text: shown to the owner once. */
export const ZInviteMemberOutput = z.object({
  invitation: ZPendingInvitation,
  /** Relative link to the set-password page (the page prefixes its own origin). */
  path: z.string(),
});
export type TInviteMemberOutput = z.infer<typeof ZInviteMemberOutput>;

export const ZUpdateMemberInput = z.object({
  organizationId: ZOrganizationId,
  userId: z.string().min(1).max(64),
  role: z.enum(ROLES),
  storeIds: ZStoreIds,
});
export type TUpdateMemberInput = z.input<typeof ZUpdateMemberInput>;

export const ZRemoveMemberInput = z.object({
  organizationId: ZOrganizationId,
  userId: z.string().min(1).max(64),
});
export type TRemoveMemberInput = z.input<typeof ZRemoveMemberInput>;
export const ZRemoveMemberOutput = z.object({ removed: z.literal(true), sessionsEnded: z.number().int() });

export const ZRevokeInvitationInput = z.object({
  organizationId: ZOrganizationId,
  invitationId: z.string().min(1).max(64),
});
export type TRevokeInvitationInput = z.input<typeof ZRevokeInvitationInput>;
export const ZRevokeInvitationOutput = z.object({ revoked: z.literal(true) });

/** What the public set-password page shows about a link before anyone types a password. */
export interface InvitationPreview {
  email: string;
  name: string;
  organizationName: string;
  role: (typeof ROLES)[number];
  expiresAt: Date;
}
