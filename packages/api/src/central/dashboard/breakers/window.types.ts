import { z } from "zod";

/** The longest window a breaker view covers: a month of transitions stays a page, not a dump. */
export const MAX_BREAKER_WINDOW_MS = 31 * 24 * 3600_000;

/** A time window [from, to): from before to, at most 31 days. */
export const ZBreakerWindow = z.object({ from: z.coerce.date(), to: z.coerce.date() });

export function refineWindow(input: { from: Date; to: Date }, ctx: z.RefinementCtx): void {
  if (input.from >= input.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: '"from" must be before "to".' });
  } else if (input.to.getTime() - input.from.getTime() > MAX_BREAKER_WINDOW_MS) {
    ctx.addIssue({ code: "custom", path: ["from"], message: "the window may span at most 31 days" });
  }
}

/** central (the Kassa server) or ofd (the fiscal data operator); other names are kept if a till reports them. */
export const ZDestination = z.string().min(1).max(32);

export const ZBreakerState = z.enum(["closed", "open", "half_open"]);

export const ZBreakerSegment = z.object({
  state: ZBreakerState,
  from: z.date(),
  to: z.date(),
  /** What began the segment (for open: the failures that tripped it); null when it began before the window. */
  cause: z.string().nullable(),
  failures: z.number().int().nullable(),
});
export type TBreakerSegment = z.infer<typeof ZBreakerSegment>;
