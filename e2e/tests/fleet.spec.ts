import { callAgent } from "../../scripts/stack.ts";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { expect, test } from "./fixtures.ts";
import { controlRegister, sellThroughAgent, signInAs, syncNow } from "./stack-helpers.ts";

// A register out of paper is a till that has stopped printing: Fleet must say so after the till's
// next sync (its status snapshot), not show it "Online". The paper is taken out of Till 1's
// emulated register through the agent's own control route, and loaded again at the end so later
// specs find a register that prints.

test("a till whose register ran out of paper shows on Fleet as needing attention within one sync", async ({
  page,
  stack,
}) => {
  await controlRegister(stack, "paper-out");
  let sale: Promise<{ receiptId: string; status: string }> | undefined;
  try {
    // The sale is accepted and waits for the register (the call may return only once it prints).
    sale = sellThroughAgent(stack, `e2e-paper-${Date.now()}`, "Ivanova A.");
    sale.catch(() => undefined);
    await expect
      .poll(
        async () =>
          (await callAgent<{ device?: { paper?: boolean } }>(stack.agent, "status", undefined, "query"))
            .device?.paper,
        { message: "the agent sees the register out of paper" },
      )
      .toBe(false);
    // One sync round carries the status snapshot.
    await syncNow(stack);

    await signInAs(page, stack, { email: stack.ownerEmail, password: stack.ownerPassword });
    const rows = page.getByTestId("fleet-table").getByRole("row");
    // Row 0 is the header: the broken till comes first.
    const first = rows.nth(1);
    await expect(first).toContainText("Till 1");
    await expect(first.getByTestId("health-badge")).toContainText("Needs attention");
    await expect(first.getByTestId("health-reasons")).toContainText("Out of paper");
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "fleet-attention");
  } finally {
    await controlRegister(stack, "paper-in");
  }
  // Paper back: the waiting receipt prints and the till is well again after its next sync.
  const printed = await sale!;
  await expect
    .poll(async () => {
      const receipt = await callAgent<{ status: string }>(
        stack.agent,
        "receipts.get",
        { receiptId: printed.receiptId },
        "query",
      );
      return receipt.status;
    })
    .toBe("fiscalized");
  await syncNow(stack);
  await page.reload();
  await expect(
    page.getByTestId("fleet-table").getByRole("row").filter({ hasText: "Till 1" }),
  ).not.toContainText("Out of paper");
});
