import type { Page } from "@playwright/test";
import { callAgent } from "../../scripts/stack.ts";
import { type E2eStack, expect } from "./fixtures.ts";

/** Signs in through the login form and waits for Fleet. */
export async function signInAs(page: Page, stack: E2eStack, user: { email: string; password: string }) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${stack.url}/`);
}

/** One sync round of Till 1's agent, as the POS's "sync now" (the agent's local API). */
export function syncNow(stack: E2eStack) {
  return callAgent<{ delivered?: { central?: number } }>(stack.agent, "sync.now");
}

/** A cash sale through Till 1's agent, by the named cashier (the shift is open since global-setup). */
export function sellThroughAgent(stack: E2eStack, idempotencyKey: string, cashierName: string) {
  return callAgent<{ receiptId: string; status: string }>(stack.agent, "receipts.create", {
    idempotencyKey,
    kind: "sale",
    cashier: { name: cashierName, inn: "500100732259" },
    items: [
      {
        name: "Lens cloth",
        price: 30_000,
        quantity: 1,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
      },
    ],
    payments: [{ type: "cash", amount: 30_000 }],
    taxSystem: "osn",
  });
}

/** The emulated register's control line (`POST /emulator/control` on the agent, with its token). */
export async function controlRegister(stack: E2eStack, line: string): Promise<string> {
  const response = await fetch(`${stack.agent.url}/emulator/control`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.agent.token}` },
    body: line,
  });
  const body = (await response.json()) as { output?: string };
  if (!response.ok)
    throw new Error(`emulator control "${line}" failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.output ?? "";
}

/** A dashboard procedure called with the page's session, as the app's tRPC client does (superjson). */
export async function dashboardCall<T = unknown>(
  page: Page,
  stack: E2eStack,
  path: string,
  input: unknown,
  type: "query" | "mutation" = "query",
): Promise<{ status: number; data: T; error: { message: string; data?: { code?: string } } | undefined }> {
  const wire = JSON.stringify({ json: input });
  const response =
    type === "query"
      ? await page.request.get(`${stack.url}/api/trpc/dashboard.${path}?input=${encodeURIComponent(wire)}`)
      : await page.request.post(`${stack.url}/api/trpc/dashboard.${path}`, {
          data: wire,
          headers: { "content-type": "application/json" },
        });
  const body = (await response.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string; data?: { code?: string } } };
  };
  return { status: response.status(), data: body.result?.data.json as T, error: body.error?.json };
}
