import type { DlqStore } from "./dlq-store.ts";
import type { OutboxStore } from "./outbox-store.ts";
import type { SyncDb } from "./types.ts";

export interface CentralCommand {
  id: string;
  action: "retry" | "discard";
  dlqItemId: string;
  reason: string | null;
}

/**
 * Applies support's commands from the central server exactly once: the command id is recorded in
 * the same transaction as its effect, and the acknowledgement rides the outbox like any other item
 * (so a command delivered again before its ack arrived is not applied twice).
 */
export function createCommandApplier(
  db: SyncDb,
  dlq: DlqStore,
  outbox: OutboxStore,
  clock: { iso(): string; hlc(): string },
) {
  const seen = db.prepare<[string], { id: string }>("SELECT id FROM applied_commands WHERE id = ?");
  const record = db.prepare<[string, string, string]>(
    "INSERT INTO applied_commands (id, outcome, applied_at) VALUES (?, ?, ?)",
  );
  const applyOne = db.transaction((command: CentralCommand): boolean => {
    if (seen.get(command.id)) return false;
    const done =
      command.action === "retry"
        ? dlq.retry(command.dlqItemId)
        : dlq.discard(command.dlqItemId, command.reason ?? "discarded from the dashboard");
    const outcome = done ? "applied" : "not_found";
    const at = clock.iso();
    record.run(command.id, outcome, at);
    outbox.enqueue("central", "command_ack", command.id, clock.hlc(), {
      commandId: command.id,
      outcome,
      appliedAt: at,
    });
    return true;
  });
  return {
    /** Returns how many commands were applied now (repeats are skipped). */
    apply(commands: readonly CentralCommand[]): number {
      let applied = 0;
      for (const command of commands) if (applyOne(command)) applied += 1;
      return applied;
    },
  };
}
