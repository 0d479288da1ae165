import { expectNoSeriousA11yViolations } from "./a11y.ts";
import { expect, test } from "./fixtures.ts";
import { signInAs } from "./stack-helpers.ts";

test("receipts filter by 'needs attention' and by shift, through the URL", async ({ page, stack }) => {
  const seed = stack.cashBreakers;
  await signInAs(page, stack, stack.manager);
  await page.goto(`${stack.url}/receipts`);
  const table = page.getByTestId("receipts-table");
  await expect(table.getByRole("row").filter({ hasText: stack.receipt.id })).toBeVisible();

  // Every receipt of the stack printed or waits: none was refused by a register.
  const needsAttention = page.getByTestId("receipts-needs-attention");
  await needsAttention.click();
  await expect(page).toHaveURL(/[?&]status=needs_attention/);
  await expect(needsAttention).toHaveAttribute("aria-pressed", "true");
  await expect(table).toContainText("No receipts match");
  await needsAttention.click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(table.getByRole("row").filter({ hasText: stack.receipt.id })).toBeVisible();

  // A shift on the cash page links to its receipts: Till 2's shift 7 holds its sale and its refund.
  await page.goto(`${stack.url}/cash?dayFrom=${seed.cashDay}&dayTo=${seed.cashDay}`);
  await page
    .getByRole("link", { name: `${seed.shortShift.terminalName} · shift ${seed.shortShift.number}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`shiftId=${seed.shortShift.shiftId}`));
  await expect(page.getByTestId("receipts-shift")).toContainText(`Shift ${seed.shortShift.number}:`);
  await expect(table.getByRole("row")).toHaveCount(3); // the header and two receipts
  await expect(table).toContainText("₽1,500.00");
  await expect(table).toContainText("₽100.00");
  await expectNoSeriousA11yViolations(page);
});
