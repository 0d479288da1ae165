/** One line about an alert changing state: a message and its fields (structured, for log search). */
export type AlertLog = (message: string, fields: Record<string, unknown>) => void;

/**
 * The central server's log: one JSON line per event on stdout (what `next start` and the container
 * runtime collect), so a firing can be found by rule, organization or till.
 */
export const centralLog: AlertLog = (message, fields) => {
  console.info(JSON.stringify({ at: new Date().toISOString(), level: "info", message, ...fields }));
};
