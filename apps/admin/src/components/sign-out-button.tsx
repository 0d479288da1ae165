"use client";

import { LogOut } from "lucide-react";
import { useTranslations } from "next-intl";
import styles from "./app-shell.module.css";

export function SignOutButton() {
  const t = useTranslations("nav");
  return (
    <button type="submit" className={styles.signOut}>
      <LogOut size={16} aria-hidden /> {t("signOut")}
    </button>
  );
}
