"use client";

import { Activity, Banknote, Bell, Inbox, MonitorSmartphone, ReceiptText, Zap } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { AlertsCount } from "~/app/(dashboard)/alerts/alerts-count.tsx";
import styles from "./app-shell.module.css";

/** The dashboard's sections; each is a real route (DLQ, Breakers and Cash start as placeholders). */
export const NAV = [
  {
    href: "/",
    key: "fleet",
    icon: MonitorSmartphone,
    match: (p: string) => p === "/" || p.startsWith("/terminals"),
  },
  { href: "/receipts", key: "receipts", icon: ReceiptText, match: (p: string) => p.startsWith("/receipts") },
  { href: "/dlq", key: "dlq", icon: Inbox, match: (p: string) => p.startsWith("/dlq") },
  { href: "/breakers", key: "breakers", icon: Zap, match: (p: string) => p.startsWith("/breakers") },
  { href: "/cash", key: "cash", icon: Banknote, match: (p: string) => p.startsWith("/cash") },
  { href: "/rum", key: "rum", icon: Activity, match: (p: string) => p.startsWith("/rum") },
  { href: "/alerts", key: "alerts", icon: Bell, match: (p: string) => p.startsWith("/alerts") },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  const t = useTranslations("nav");
  return (
    <nav aria-label={t("label")} className={styles.nav}>
      {NAV.map(({ href, key, icon: Icon, match }) => {
        const active = match(pathname);
        return (
          <Link
            key={href}
            href={href}
            className={active ? `${styles.navLink} ${styles.active}` : styles.navLink}
            aria-current={active ? "page" : undefined}
          >
            <Icon size={18} aria-hidden /> {t(key)}
            {key === "alerts" && <AlertsCount />}
          </Link>
        );
      })}
    </nav>
  );
}
