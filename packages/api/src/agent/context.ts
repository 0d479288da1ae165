import type { AgentServices } from "./services.ts";

/** Everything an agent procedure may use: the app's domain services, injected. */
export interface AgentContext {
  services: AgentServices;
}

export function createAgentContext(services: AgentServices): AgentContext {
  return { services };
}
