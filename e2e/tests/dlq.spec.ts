import { callAgent } from "../../scripts/stack.ts";
import { expectNoSeriousA11yViolations, saveScreenshot } from "./a11y.ts";
import { type E2eStack, expect, test } from "./fixtures.ts";
import { dashboardCall, sellThroughAgent, signInAs, syncNow } from "./stack-helpers.ts";

// Support retries a group of Till 1's real dead letters from the dashboard; the till gets the
// commands on its next sync, applies them, delivers the receipts, and the items leave the DLQ.
//
// The dead letters are the real agent's: while the fault proxy between it and the central server
// is on (central-fault-proxy.ts), Sidorova's receipts reach the server with an empty cashier name,
// the server's schema refuses them (VALIDATION_FAILED naming the items) and the agent
// dead-letters them. The proxy is switched off before the retry, so the retried payloads — the
// till's own, untouched — go through.

const CASHIER = "Sidorova B.";

async function setFault(stack: E2eStack, needle: string | null) {
  const response = await fetch(stack.faultProxyUrl, { method: "POST", body: JSON.stringify({ needle }) });
  expect(response.ok).toBe(true);
}

interface CentralDlqItem {
  itemId: string;
  command: { state: string } | null;
}
type DlqList = { items: CentralDlqItem[] };

interface LocalDlq {
  items: Array<{ itemId: string; kind: string; status?: string }>;
}

async function deadLetterThreeReceipts(stack: E2eStack): Promise<string[]> {
  await setFault(stack, "Sidorova");
  try {
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const receipt = await sellThroughAgent(stack, `e2e-dlq-${Date.now()}-${n}`, CASHIER);
      ids.push(receipt.receiptId);
    }
    // The agent dead-letters them on the first push that carries them, and mirrors its DLQ with
    // the same round's next batches.
    await expect
      .poll(
        async () => {
          await syncNow(stack);
          const local = await callAgent<LocalDlq>(stack.agent, "dlq.list", {}, "query");
          return local.items.filter((i) => ids.includes(i.itemId)).length;
        },
        { message: "Till 1 dead-letters the three refused receipts", timeout: 30_000 },
      )
      .toBe(3);
    return ids;
  } finally {
    await setFault(stack, null);
  }
}

test("support retries a DLQ group; the till applies the commands on its next sync and the items leave the DLQ", async ({
  page,
  stack,
}) => {
  const receiptIds = await deadLetterThreeReceipts(stack);
  // One more round so the DLQ mirror has surely reached the central server.
  await syncNow(stack);

  // A store-scoped manager sees the group but cannot act: no button, and the server refuses.
  await signInAs(page, stack, stack.manager);
  await page.goto(`${stack.url}/dlq?view=groups`);
  const managerGroup = page
    .getByTestId("dlq-groups-table")
    .getByRole("row")
    .filter({ hasText: "VALIDATION_FAILED" });
  await expect(managerGroup.getByTestId("dlq-group-items")).toHaveText("3");
  await expect(managerGroup.getByRole("button", { name: "Retry group" })).toHaveCount(0);
  const groups = await dashboardCall<{ groups: Array<{ errorCode: string; fingerprint: string }> }>(
    page,
    stack,
    "dlq.groups",
    {},
  );
  const fingerprint = groups.data.groups.find((g) => g.errorCode === "VALIDATION_FAILED")?.fingerprint;
  expect(fingerprint).toBeDefined();
  const refused = await dashboardCall(
    page,
    stack,
    "dlq.retry",
    { organizationId: stack.organizationId, selection: { type: "group", fingerprint } },
    "mutation",
  );
  expect(refused.status).toBe(403);
  expect(refused.error?.data).toMatchObject({ code: "FORBIDDEN" });
  expect(refused.error?.message).toContain("Your role does not allow this");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${stack.url}/login`);

  // Support retries the group: the dry run counts 3, confirming issues 3 commands.
  await signInAs(page, stack, stack.support);
  await page.goto(`${stack.url}/dlq?view=groups`);
  const group = page
    .getByTestId("dlq-groups-table")
    .getByRole("row")
    .filter({ hasText: "VALIDATION_FAILED" });
  await expect(group).toContainText("receipt");
  await expect(group.getByTestId("dlq-group-items")).toHaveText("3");
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "dlq");
  await group.getByRole("button", { name: "Retry group" }).click();
  const dialog = page.getByTestId("dlq-confirm");
  await expect(dialog.getByTestId("dlq-dry-run")).toHaveText(/^Retry 3 items\./);
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Retry 3" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("dlq-action-result")).toContainText("3 items");

  // Before the till's next sync the commands are only issued.
  await page.goto(`${stack.url}/dlq?view=items&state=all`);
  const rows = page.getByTestId("dlq-items-table").getByRole("row");
  for (const id of receiptIds) {
    await expect(rows.filter({ hasText: id }).getByTestId("dlq-command-state")).toHaveText("Retry issued");
  }

  // The till's next sync receives the commands and applies them; the acknowledgements and the
  // receipts go out on the rounds after.
  await expect
    .poll(
      async () => {
        await syncNow(stack);
        const pending = await dashboardCall<DlqList>(page, stack, "dlq.list", { state: "pending" });
        const retried = await dashboardCall<DlqList>(page, stack, "dlq.list", { state: "retried" });
        return {
          pending: pending.data.items.filter((i) => receiptIds.includes(i.itemId)).length,
          applied: retried.data.items.filter(
            (i) => receiptIds.includes(i.itemId) && i.command?.state === "applied",
          ).length,
        };
      },
      { message: "the till applies the retries and the items leave the DLQ", timeout: 30_000 },
    )
    .toEqual({ pending: 0, applied: 3 });

  // The page says so: nothing pending in the group, each item retried with its command applied.
  await page.goto(`${stack.url}/dlq`);
  await expect(page.getByTestId("dlq-total")).toHaveText("No items");
  await page.goto(`${stack.url}/dlq?view=items&state=retried`);
  for (const id of receiptIds) {
    await expect(rows.filter({ hasText: id }).getByTestId("dlq-command-state")).toHaveText("Retry applied");
  }
  // And the receipts themselves reached the central server.
  await expect
    .poll(async () => {
      await syncNow(stack);
      const list = await dashboardCall<{ receipts: Array<{ id: string }> }>(page, stack, "receipts.list", {
        terminalId: stack.terminalId,
        limit: 100,
      });
      return list.data.receipts.filter((r) => receiptIds.includes(r.id)).length;
    })
    .toBe(3);
  await page.goto(`${stack.url}/dlq?view=audit`);
  await expect(page.getByTestId("dlq-audit-table").getByRole("row").nth(1)).toContainText(
    stack.support.email,
  );

  // In Russian.
  await page.getByTestId("locale-switcher").selectOption("ru");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.goto(`${stack.url}/dlq?view=items&state=retried`);
  await expect(page.getByRole("heading", { level: 1, name: "DLQ" })).toBeVisible();
  await expect(rows.filter({ hasText: receiptIds[0]! }).getByTestId("dlq-command-state")).toHaveText(
    "Повтор: применено",
  );
  await expectNoSeriousA11yViolations(page);
  await saveScreenshot(page, "dlq.ru");
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});
