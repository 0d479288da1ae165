import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import styles from "./ui.module.css";

// The few shared building blocks pages compose (styled by ui.module.css, not by a global stylesheet).

export type Tone = "ok" | "warn" | "danger" | "neutral";

export function Badge({
  tone,
  title,
  children,
  testId,
}: {
  tone: Tone;
  title?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`${styles.badge} ${styles[tone]}`} title={title} data-testid={testId}>
      {children}
    </span>
  );
}

export function Badges({ children }: { children: ReactNode }) {
  return <span className={styles.badges}>{children}</span>;
}

export function Card({
  title,
  children,
  wide,
  testId,
}: {
  title?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  return (
    <section className={wide ? `${styles.card} ${styles.wide}` : styles.card} data-testid={testId}>
      {title && <h2 className={styles.cardTitle}>{title}</h2>}
      {children}
    </section>
  );
}

/** A definition list of facts (label → value), in a responsive grid. */
export function Facts({ children, compact }: { children: ReactNode; compact?: boolean }) {
  return <dl className={compact ? `${styles.facts} ${styles.compact}` : styles.facts}>{children}</dl>;
}

export function Fact({
  label,
  children,
  testId,
}: {
  label: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function Stats({ children, label }: { children: ReactNode; label: string }) {
  return (
    <section className={styles.stats} aria-label={label}>
      {children}
    </section>
  );
}

export function Stat({ label, value, tone }: { label: ReactNode; value: ReactNode; tone?: Tone }) {
  return (
    <div
      className={tone && tone !== "ok" && tone !== "neutral" ? `${styles.stat} ${styles[tone]}` : styles.stat}
    >
      <div className={styles.statValue}>{value}</div>
      <div className={styles.statLabel}>{label}</div>
    </div>
  );
}

export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className={styles.back}>
      <ArrowLeft size={14} aria-hidden /> {children}
    </Link>
  );
}

/** Secondary text: grey, small, or monospace (ids, fiscal numbers). */
export function Muted({ children, mono, block }: { children: ReactNode; mono?: boolean; block?: boolean }) {
  const className = mono ? `${styles.muted} ${styles.mono}` : styles.muted;
  return block ? <div className={className}>{children}</div> : <span className={className}>{children}</span>;
}

export function Mono({ children }: { children: ReactNode }) {
  return <span className={styles.monoText}>{children}</span>;
}

export function Strong({ children }: { children: ReactNode }) {
  return <span className={styles.strong}>{children}</span>;
}

export const buttonClass = {
  base: styles.button,
  primary: `${styles.button} ${styles.primary}`,
  ghost: `${styles.button} ${styles.ghost}`,
};
