import { previewInvitation } from "@kassa/api/central/dashboard";
import { AppError } from "@kassa/api/errors";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuthCard, authStyles } from "~/components/auth-card.tsx";
import { getDb } from "~/server/db.ts";
import styles from "./set-password.module.css";
import { SetPasswordForm } from "./set-password-form.tsx";

const REFUSALS = ["unknown", "used", "revoked", "expired"] as const;

export async function generateMetadata() {
  const t = await getTranslations("admin.setPassword");
  return { title: t("title") };
}

// Public: the person may have no account yet. Only the link's token says who they are.
export default async function SetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string }>;
}) {
  const t = await getTranslations("admin.setPassword");
  const roles = await getTranslations("admin.roles");
  const token = (await searchParams).token ?? "";
  const preview = await previewInvitation(await getDb(), token, new Date()).catch((error: unknown) => {
    if (error instanceof AppError && error.kassaCode === "INVITATION_INVALID") {
      const reason = REFUSALS.find((r) => r === error.fieldErrors?.token?.[0]) ?? "unknown";
      return `${t(`reasons.${reason}`)} ${t("askOwner")}`;
    }
    throw error;
  });
  return (
    <AuthCard>
      {typeof preview === "string" ? (
        <>
          <h1 className={styles.heading}>{t("invalidTitle")}</h1>
          <p className={authStyles.error} role="alert" data-testid="set-password-invalid">
            {preview}
          </p>
          <p>
            <Link href="/login">{t("toLogin")}</Link>
          </p>
        </>
      ) : (
        <>
          <h1 className={styles.heading}>{t("heading", { organization: preview.organizationName })}</h1>
          <p className={authStyles.intro}>
            {t("intro", { role: roles(preview.role), email: preview.email })}
          </p>
          {/* Whether the email has an account is not said here (the inviting owner could read it):
                the form asks for a new password, or the current one when the person says or the server finds that they have one. */}
          <SetPasswordForm token={token} email={preview.email} />
        </>
      )}
    </AuthCard>
  );
}
