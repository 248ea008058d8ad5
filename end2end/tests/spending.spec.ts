import { test, expect } from "@playwright/test";
import { ADMIN, SMALL_PNG, TREASURER, signIn } from "./support";

const SPENDING = "/staff/campaigns/little-painters/spending";
const LEDGER = "/campaigns/little-painters/transparency";
// A receipt as a phone photographs it.
const RECEIPT = SMALL_PNG;

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
  // Its receipt, a photographed page, goes with it.
  await row.getByText(/Add a document/).click();
  await row.getByLabel("Kind of document").selectOption("receipt");
  await row.getByLabel("Document file").setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: RECEIPT });
  await row.getByRole("button", { name: "Add", exact: true }).click();
  await expect(first.getByTestId("expense").filter({ hasText: "Easels" }).getByTestId("original-document")).toHaveText("Receipt");
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
  // Its receipt is there for anyone to open: the public copy, an image.
  const receipt = paid.getByTestId("expense-document");
  await expect(receipt).toHaveText("Receipt");
  const copy = await visitor.request.get((await receipt.getAttribute("href"))!);
  expect(copy.status()).toBe(200);
  expect(copy.headers()["content-type"]).toBe("image/png");
  // Materials: the demo's ¥1,860 of paint and paper, and these easels.
  await expect(visitor.getByTestId("spending-plan").locator("tr", { hasText: "Materials" })).toContainText("¥6,660");
  await visitor.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "中文" }).click();
  const inChinese = visitor.getByTestId("paid-expense").filter({ hasText: "新画室的画架" });
  await expect(inChinese).toBeVisible();
  await expect(inChinese.getByTestId("expense-document")).toHaveText("收据");
  await expect(visitor.getByRole("heading", { name: "善款用途" })).toBeVisible();
});
