import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { createAgentContext } from "./context.ts";
import { agentRouter } from "./router.ts";
import type { AgentServices } from "./services.ts";
import { createCallerFactory } from "./trpc.ts";

// The router only maps keys to the injected services: these tests drive it through createCaller
// with fake services, as a POS would see it, minus HTTP.

const created = {
  receiptId: "r1",
  status: "fiscalized" as const,
  total: 900000,
  change: 100000,
  seq: 1,
  hlc: "1795334783996.00000",
};

function fakeServices(overrides: Partial<AgentServices["receipts"]> = {}): AgentServices {
  const unused = () => {
    throw new Error("not used");
  };
  return {
    receipts: { create: async () => created, get: unused, list: unused, void: unused, ...overrides },
    shift: { open: unused, close: unused, xReport: unused, status: unused },
    cash: { move: unused },
    auth: { login: unused },
    status: unused,
    sync: { now: unused, dlq: { list: unused, retry: unused, discard: unused } },
    rum: { report: unused },
  };
}

const caller = (services: AgentServices) => createCallerFactory(agentRouter)(createAgentContext(services));

describe("agentRouter", () => {
  it("validates input before the service runs, and passes parsed input with defaults", async () => {
    let seen: unknown;
    const call = caller(
      fakeServices({
        create: async (input) => {
          seen = input;
          return created;
        },
      }),
    );
    await expect(call.receipts.create({ kind: "sale" } as never)).rejects.toBeInstanceOf(TRPCError);
    expect(seen).toBeUndefined();
    await call.receipts.create({
      idempotencyKey: "k1",
      kind: "sale",
      cashier: { name: "A" },
      items: [{ name: "x", price: 100, quantity: 1, vat: "vat20" }] as never,
      payments: [{ type: "cash", amount: 100 }],
    });
    expect(seen).toMatchObject({ items: [{ unit: "pcs", subject: "goods", paymentMethod: "full_payment" }] });
  });

  it("lets an AppError from the domain through with its code", async () => {
    const call = caller(
      fakeServices({
        get: () => {
          throw new AppError("NOT_FOUND", { message: "No receipt with id x on this till." });
        },
      }),
    );
    await expect(call.receipts.get({ receiptId: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      kassaCode: "NOT_FOUND",
    });
  });

  it("refuses an answer that breaks the declared output", async () => {
    const call = caller(fakeServices({ create: async () => ({ ...created, total: "900000" }) as never }));
    await expect(
      call.receipts.create({
        idempotencyKey: "k2",
        kind: "sale",
        cashier: { name: "A" },
        items: [{ name: "x", price: 100, quantity: 1, vat: "vat20" }] as never,
        payments: [{ type: "cash", amount: 100 }],
      }),
    ).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
  });
});
