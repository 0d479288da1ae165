import type { z } from "zod";
import { AppError } from "../../../errors.ts";
import type { CentralDatabase } from "../../context.ts";
import type { MembershipScope } from "../scope.ts";
import { type AuditActor, recordAudit } from "./audit.ts";
import {
  ORGANIZATION_LOCALES,
  type TOrganizationSettings,
  type ZUpdateSettingsInput,
} from "./settings.types.ts";

const SELECT = { id: true, name: true, cashTolerance: true, defaultLocale: true } as const;

function view(row: {
  id: string;
  name: string;
  cashTolerance: bigint;
  defaultLocale: string;
}): TOrganizationSettings {
  return {
    organizationId: row.id,
    name: row.name,
    cashTolerance: row.cashTolerance,
    // The column is free text in SQL; anything else than a known locale reads as English.
    defaultLocale: ORGANIZATION_LOCALES.find((l) => l === row.defaultLocale) ?? "en",
  };
}

export async function getSettings(
  db: CentralDatabase,
  membership: MembershipScope,
): Promise<TOrganizationSettings> {
  const row = await db.prisma.organization.findUniqueOrThrow({
    where: { id: membership.organizationId },
    select: SELECT,
  });
  return view(row);
}

/** Changes the organization's settings; each field changed is one line of the audit summary. */
export async function updateSettings(
  db: CentralDatabase,
  membership: MembershipScope,
  actor: AuditActor,
  input: z.output<typeof ZUpdateSettingsInput>,
  now: Date,
): Promise<TOrganizationSettings> {
  const before = await getSettings(db, membership);
  const changes: string[] = [];
  const data: { cashTolerance?: bigint; defaultLocale?: string } = {};
  if (input.cashTolerance !== undefined && input.cashTolerance !== before.cashTolerance) {
    data.cashTolerance = input.cashTolerance;
    changes.push(`cash tolerance ${before.cashTolerance} → ${input.cashTolerance} kopecks`);
  }
  if (input.defaultLocale !== undefined && input.defaultLocale !== before.defaultLocale) {
    data.defaultLocale = input.defaultLocale;
    changes.push(`default language ${before.defaultLocale} → ${input.defaultLocale}`);
  }
  if (changes.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: "Nothing to change: the organization already has these settings.",
      fieldErrors: { _: ["No change"] },
    });
  }
  return db.prisma.$transaction(async (tx) => {
    const row = await tx.organization.update({
      where: { id: membership.organizationId },
      data,
      select: SELECT,
    });
    await recordAudit(
      tx,
      membership.organizationId,
      actor,
      {
        action: "settings.update",
        targetType: "organization",
        targetId: membership.organizationId,
        summary: `Settings: ${changes.join("; ")}`,
        details: {
          before: { cashTolerance: String(before.cashTolerance), defaultLocale: before.defaultLocale },
          after: {
            cashTolerance: String(data.cashTolerance ?? before.cashTolerance),
            defaultLocale: data.defaultLocale ?? before.defaultLocale,
          },
        },
      },
      now,
    );
    return view(row);
  });
}

/**
 * The language a signed-in person sees without a kassa-locale cookie: their first organization's
 * default (by organization id, the order memberships are listed in). Null without memberships.
 */
export async function defaultLocaleOf(db: CentralDatabase, userId: string): Promise<"en" | "ru" | null> {
  const membership = await db.prisma.membership.findFirst({
    where: { userId },
    orderBy: { organizationId: "asc" },
    select: { organization: { select: { defaultLocale: true } } },
  });
  if (!membership) return null;
  return ORGANIZATION_LOCALES.find((l) => l === membership.organization.defaultLocale) ?? "en";
}
