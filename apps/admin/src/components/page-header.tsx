import type { ReactNode } from "react";
import styles from "./page.module.css";

/** A page's title, its one-line purpose, and optional badges or a back link. */
export function PageHeader({
  title,
  intro,
  back,
  children,
}: {
  title: ReactNode;
  intro?: ReactNode;
  back?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className={styles.header}>
      {back}
      <h1 className={styles.title}>{title}</h1>
      {intro && <p className={styles.intro}>{intro}</p>}
      {children}
    </header>
  );
}
