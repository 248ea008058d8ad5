import { test, expect } from "@playwright/test";
import { ADMIN, TREASURER, signIn } from "./support";

const SPENDING = "/staff/campaigns/little-painters/spending";
const LEDGER = "/campaigns/little-painters/transparency";

test("an admin records an expense, a second admin approves and pays it, and the public ledger shows it in both languages", async ({ browser }) => {
  // The first admin records and submits it.
  const first = await browser.newPage();
  await signIn(first, ADMIN, SPENDING);
  await expect(first).toHaveURL(new RegExp(`${SPENDING}$`));
  const form = first.getByTestId("expense-form");
  await form.getByLabel("Budget line").selectOption("materials");
  await form.getByLabel("Kind").selectOption("expenditure");
  await form.getByLabel("Description in English").fill("Easels for the new studio");
  await form.getByLabel("Description in Chinese").fill("新画室的画架");
  await form.getByLabel("Amount").fill("4,800");
  await form.getByLabel("Date spent").fill("2026-11-20");
  await form.getByLabel(/Payee/).fill("Hangzhou Easel Works");
  await form.getByLabel(/People it served/).fill("120");
  await form.getByRole("button", { name: "Record as draft" }).click();
  await expect(first).toHaveURL(new RegExp(`${SPENDING}$`));
  const row = first.getByTestId("expense").filter({ hasText: "Easels for the new studio" });
  await expect(row).toHaveAttribute("data-status", "draft");
  await row.getByRole("button", { name: "Submit" }).click();
  await expect(first.getByTestId("expense").filter({ hasText: "Easels" })).toHaveAttribute("data-status", "submitted");
  // Approving their own expense is refused, with the reason.
  await first.getByTestId("expense").filter({ hasText: "Easels" }).getByRole("button", { name: "Approve" }).click();
  await expect(first.getByText("Another admin must approve and pay an expense")).toBeVisible();
  // Not public yet.
  await first.goto(LEDGER);
  await expect(first.getByText("Easels for the new studio")).toHaveCount(0);

  // The second admin approves and pays it.
  const second = await browser.newPage();
  await signIn(second, TREASURER, SPENDING);
  await expect(second).toHaveURL(new RegExp(`${SPENDING}$`));
  await second.getByTestId("expense").filter({ hasText: "Easels" }).getByRole("button", { name: "Approve" }).click();
  await expect(second.getByTestId("expense").filter({ hasText: "Easels" })).toHaveAttribute("data-status", "approved");
  await second.getByTestId("expense").filter({ hasText: "Easels" }).getByRole("button", { name: "Mark paid" }).click();
  await expect(second.getByTestId("expense").filter({ hasText: "Easels" })).toHaveAttribute("data-status", "paid");

  // The public ledger shows it, spent against its line, in English and in Chinese.
  const visitor = await browser.newPage();
  await visitor.goto(LEDGER);
  const paid = visitor.getByTestId("paid-expense").filter({ hasText: "Easels for the new studio" });
  await expect(paid).toContainText("¥4,800");
  await expect(paid).toContainText("Hangzhou Easel Works");
  await expect(paid).toContainText("120 people served");
  await expect(visitor.getByTestId("spending-plan").locator("tr", { hasText: "Materials" })).toContainText("¥4,800");
  await visitor.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "中文" }).click();
  await expect(visitor.getByTestId("paid-expense").filter({ hasText: "新画室的画架" })).toBeVisible();
  await expect(visitor.getByRole("heading", { name: "善款用途" })).toBeVisible();
});
