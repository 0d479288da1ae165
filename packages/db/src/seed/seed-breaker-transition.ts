import type { BreakerTransition, PrismaClient } from "../../generated/central/client.ts";
import { newId } from "../ids.ts";

export interface SeedBreakerTransitionInput {
  terminal: { organizationId: string; id: string };
  /** "central" or "ofd". Default "ofd". */
  destination?: string;
  at: Date;
  from: "closed" | "open" | "half_open" | "isolated";
  to: "closed" | "open" | "half_open" | "isolated";
  cause?: string;
  failures?: number;
}

/** One circuit-breaker state change as a till reports it (`breaker_transition` ingest items). */
export function seedBreakerTransition(
  prisma: PrismaClient,
  input: SeedBreakerTransitionInput,
): Promise<BreakerTransition> {
  return prisma.breakerTransition.create({
    data: {
      organizationId: input.terminal.organizationId,
      terminalId: input.terminal.id,
      id: `${input.destination ?? "ofd"}-${newId(input.at.getTime())}`,
      destination: input.destination ?? "ofd",
      at: input.at,
      fromState: input.from,
      toState: input.to,
      cause:
        input.cause ??
        (input.to === "open" ? "5 consecutive failures; last: connect ECONNREFUSED" : "probe succeeded"),
      failures: input.failures ?? (input.to === "open" ? 5 : 0),
    },
  });
}
