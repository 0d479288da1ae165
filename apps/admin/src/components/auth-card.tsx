import type { ReactNode } from "react";
import styles from "./auth-card.module.css";

/**
 * The card the pages before sign-in share (sign in, set a password from an invitation), centred
 * on the page. Their forms use `authStyles`: the fields' column, the intro, the form's error.
 */
export function AuthCard({ children }: { children: ReactNode }) {
  return (
    <main className={styles.page}>
      <div className={styles.card}>{children}</div>
    </main>
  );
}

export { styles as authStyles };
