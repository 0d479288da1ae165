import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthCard, authStyles } from "~/components/auth-card.tsx";
import { currentSession } from "~/server/session.ts";
import styles from "./login.module.css";
import { LoginForm } from "./login-form.tsx";

export async function generateMetadata() {
  const t = await getTranslations("login");
  return { title: t("title") };
}

export default async function LoginPage() {
  if (await currentSession()) redirect("/");
  const t = await getTranslations("login");
  const common = await getTranslations("common");
  return (
    <AuthCard>
      <h1 className={styles.brand}>
        <span className={styles.brandMark} aria-hidden>
          K
        </span>{" "}
        {common("appName")}
      </h1>
      <p className={authStyles.intro}>{t("intro")}</p>
      <LoginForm />
    </AuthCard>
  );
}
