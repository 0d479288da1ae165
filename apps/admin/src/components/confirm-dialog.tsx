"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import styles from "./confirm-dialog.module.css";
import { buttonClass } from "./ui.tsx";

/**
 * A modal `<dialog>`, open while mounted. `showModal()` gives what a modal needs, natively: focus
 * moves into it and stays there, Escape closes it, and closing hands focus back to what had it.
 * `onClose` runs on every close (Escape, Cancel); the owner unmounts it there.
 */
export function Dialog({
  title,
  onClose,
  testId,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      data-testid={testId}
    >
      <h2 id={titleId} className={styles.title}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The buttons' row at the foot of a dialog, the primary action last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>;
}

/**
 * A dialog that asks before acting: its body (what will happen, the fields the action needs), the
 * action's error, Cancel and the confirm button. Confirming submits the dialog's form, so Enter in
 * a field confirms and `required` fields are checked first; the action gets the form's fields.
 */
export function ConfirmDialog({
  title,
  onClose,
  onConfirm,
  confirmLabel,
  cancelLabel,
  pending = false,
  pendingLabel,
  disabled = false,
  error,
  errorId,
  testId,
  children,
}: {
  title: ReactNode;
  /** Escape or Cancel: nothing was done. */
  onClose: () => void;
  onConfirm: (fields: FormData) => void;
  confirmLabel: ReactNode;
  cancelLabel: string;
  /** The action is running: the confirm button is disabled (and says `pendingLabel`, if given). */
  pending?: boolean;
  pendingLabel?: ReactNode;
  /** The action cannot run yet (the DLQ's dry run has not counted, or counted nothing). */
  disabled?: boolean;
  /** The failed action's message, read out (role=alert); `errorId` lets a field point at it. */
  error?: string | null;
  errorId?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <form
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(new FormData(event.currentTarget));
        }}
      >
        {children}
        {error && (
          <p id={errorId} className={styles.error} role="alert">
            {error}
          </p>
        )}
        <DialogActions>
          {/* Closing the <dialog> (not unmounting it) is what hands focus back to the opener. */}
          <button
            type="button"
            className={buttonClass.ghost}
            onClick={(event) => event.currentTarget.closest("dialog")?.close()}
          >
            {cancelLabel}
          </button>
          <button type="submit" className={buttonClass.primary} disabled={pending || disabled}>
            {pending && pendingLabel ? pendingLabel : confirmLabel}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
