import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { signOutAction } from "~/app/login/actions.ts";
import { HydrateClient, prefetch, trpc } from "~/trpc/server.tsx";
import styles from "./app-shell.module.css";
import { LocaleSwitcher } from "./locale-switcher.tsx";
import { NavLinks } from "./nav-links.tsx";
import { SignOutButton } from "./sign-out-button.tsx";
import { UserCard } from "./user-card.tsx";

/** The dashboard's frame: navigation, the signed-in user, the language switcher, sign-out. */
export async function AppShell({ children }: { children: ReactNode }) {
  const t = await getTranslations("common");
  prefetch(trpc.dashboard.me.queryOptions());
  return (
    <div className={styles.shell}>
      <aside className={styles.sidebar}>
        <a href="/" className={styles.brand}>
          <span className={styles.brandMark} aria-hidden>
            K
          </span>{" "}
          {t("appName")}
        </a>
        <NavLinks />
        <div className={styles.footer}>
          <HydrateClient>
            <UserCard />
          </HydrateClient>
          <LocaleSwitcher locale={await getLocale()} />
          <form action={signOutAction}>
            <SignOutButton />
          </form>
        </div>
      </aside>
      <main className={styles.content} id="content">
        {children}
      </main>
    </div>
  );
}
