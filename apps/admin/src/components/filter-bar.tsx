"use client";

import { Filter, type LucideIcon, X } from "lucide-react";
import type { FormEvent, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import styles from "./filter-bar.module.css";
import { buttonClass } from "./ui.tsx";

/**
 * The filter bar every list page of the dashboard shares: a `<form>` of plain named fields
 * (FilterSelect, FilterInput, StoreFilter, TerminalFilter) that the page turns into its URL state
 * (nuqs) on Apply. The URL is the only state: the form is rebuilt whenever it changes, so Clear
 * and back/forward show the URL's values in the fields without controlled inputs.
 */
export function FilterBar({
  label,
  state,
  onApply,
  onClear,
  applyLabel,
  applyIcon: ApplyIcon = Filter,
  clearLabel,
  actions,
  footer,
  children,
}: {
  /** The form's accessible name ("Filters"). */
  label: string;
  /** The URL state the fields show; a change rebuilds the form. Omit for a bar of controlled fields. */
  state?: unknown;
  /**
   * Apply: reads the fields by name (trimmed, null when empty) into the URL. Without it the bar
   * has no Apply/Clear buttons and submitting does nothing (its fields apply as they change).
   */
  onApply?: (field: (name: string) => string | null) => void;
  /** Clear: the page's own defaults (not always "no filter": the DLQ shows pending items). */
  onClear?: () => void;
  applyLabel?: string;
  applyIcon?: LucideIcon;
  clearLabel?: string;
  /** More buttons or links after Apply and Clear (the cash page's CSV download). */
  actions?: ReactNode;
  /** Full-width lines under the fields: what else narrows the list, a validation message. */
  footer?: ReactNode;
  children: ReactNode;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onApply?.((name) => String(data.get(name) ?? "").trim() || null);
  }
  return (
    <form
      key={state === undefined ? undefined : JSON.stringify(state)}
      className={styles.bar}
      aria-label={label}
      onSubmit={onSubmit}
      onReset={(event) => {
        event.preventDefault();
        onClear?.();
      }}
    >
      {children}
      {onApply && (
        <FilterActions>
          <button type="submit" className={buttonClass.primary}>
            <ApplyIcon size={16} aria-hidden /> {applyLabel}
          </button>
          <button type="reset" className={buttonClass.ghost}>
            <X size={16} aria-hidden /> {clearLabel}
          </button>
          {actions}
        </FilterActions>
      )}
      {footer}
    </form>
  );
}

/** A row of buttons in one cell of the bar. */
export function FilterActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>;
}

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * A labelled `<select>`; `anyLabel` adds the first option, "" meaning no filter. Uncontrolled
 * (`defaultValue`) inside an applying bar; `value` + `onChange` for a field that applies at once.
 */
export function FilterSelect({
  label,
  options,
  anyLabel,
  ...select
}: {
  label: string;
  options: readonly FilterOption[];
  anyLabel?: string;
  name: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "children">) {
  return (
    <label>
      {label}
      <select {...select}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled `<input>` (text, date, datetime-local…), read by its name on Apply. */
export function FilterInput({
  label,
  ...input
}: { label: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label>
      {label}
      <input {...input} />
    </label>
  );
}

/** A full-width line of the bar's footer; `alert` for a validation message (read out, in red). */
export function FilterNote({
  id,
  alert,
  testId,
  children,
}: {
  id?: string;
  alert?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <p
      id={id}
      className={alert ? `${styles.note} ${styles.alert}` : styles.note}
      role={alert ? "alert" : undefined}
      data-testid={testId}
    >
      {children}
    </p>
  );
}
