"use client";

import { useQuery } from "@tanstack/react-query";
import { LogOut, MonitorSmartphone, ReceiptText } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { signOutAction } from "~/app/login/actions.ts";
import { useTRPC } from "~/trpc/react.tsx";

const NAV = [
  {
    href: "/",
    label: "Fleet",
    icon: MonitorSmartphone,
    match: (p: string) => p === "/" || p.startsWith("/terminals"),
  },
  {
    href: "/receipts",
    label: "Receipts",
    icon: ReceiptText,
    match: (p: string) => p.startsWith("/receipts"),
  },
];

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const trpc = useTRPC();
  const me = useQuery(trpc.dashboard.me.queryOptions());
  const organization = me.data?.memberships.map((m) => m.organizationName).join(", ");
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark">K</span> Kassa
        </Link>
        <nav>
          {NAV.map(({ href, label, icon: Icon, match }) => (
            <Link key={href} href={href} className={match(pathname) ? "nav-link active" : "nav-link"}>
              <Icon size={18} aria-hidden /> {label}
            </Link>
          ))}
        </nav>
        <div className="sidebar-footer">
          {me.data && (
            <div className="who">
              <div className="who-name">{me.data.user.name}</div>
              <div className="muted small">{me.data.user.email}</div>
              <div className="muted small">{organization}</div>
            </div>
          )}
          <form action={signOutAction}>
            <button type="submit" className="button ghost">
              <LogOut size={16} aria-hidden /> Sign out
            </button>
          </form>
        </div>
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
