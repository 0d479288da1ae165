/**
 * "On change" for the central status snapshot: most changes a till's status goes through write an
 * outbox row (a shift, a refused receipt, a breaker transition, a DLQ entry) and so start a sync
 * round, which sends a fresh snapshot. Receipts starting or stopping to wait for the register
 * (paper out, cable pulled, shift over 24 h) write none: this watches a cheap signature of them —
 * no device I/O — and asks for a round when it changes.
 */
export function watchStatusChanges(options: {
  signature: () => string;
  onChange: () => void;
  everyMs?: number;
}): { stop(): void } {
  let last = options.signature();
  const timer = setInterval(() => {
    const now = options.signature();
    if (now === last) return;
    last = now;
    options.onChange();
  }, options.everyMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
