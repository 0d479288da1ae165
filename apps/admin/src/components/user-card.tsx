"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "~/trpc/react.tsx";
import styles from "./app-shell.module.css";

/** Who is signed in and for which organizations (prefetched by AppShell). */
export function UserCard() {
  const trpc = useTRPC();
  const t = useTranslations("nav");
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const organizations = [...new Set(me.memberships.map((m) => m.organizationName))].join(", ");
  return (
    <div className={styles.who} title={t("signedInAs", { name: me.user.name })}>
      <div className={styles.whoName}>{me.user.name}</div>
      <div className={styles.whoMeta}>{me.user.email}</div>
      <div className={styles.whoMeta}>{organizations}</div>
    </div>
  );
}
