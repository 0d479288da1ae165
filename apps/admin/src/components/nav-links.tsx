"use client";

import {
  Activity,
  Banknote,
  Bell,
  Inbox,
  MonitorCog,
  MonitorSmartphone,
  ReceiptText,
  ScrollText,
  Settings,
  Store,
  Users,
  Zap,
} from "lucide-react";
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
  // The admin area (owners change; others look where their role allows).
  { href: "/stores", key: "stores", icon: Store, match: (p: string) => p.startsWith("/stores") },
  { href: "/tills", key: "tills", icon: MonitorCog, match: (p: string) => p.startsWith("/tills") },
  { href: "/people", key: "people", icon: Users, match: (p: string) => p.startsWith("/people") },
  { href: "/settings", key: "settings", icon: Settings, match: (p: string) => p.startsWith("/settings") },
  { href: "/audit", key: "audit", icon: ScrollText, match: (p: string) => p.startsWith("/audit") },
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
