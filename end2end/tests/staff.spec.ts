import { test, expect } from "@playwright/test";
import { ADMIN, VIEWER, signIn, waitForHydration } from "./support";

test("an admin is asked to sign in, is told about a wrong password, gets in and signs out", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await signIn(page, { email: ADMIN.email, password: "not the passphrase" });
  await expect(page.getByTestId("sign-in-error")).toHaveText(
    "That email and password do not match an account.",
  );
  await expect(page).toHaveURL(/\/staff\/sign-in/);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId("staff-who")).toHaveText("Ada Admin · admin");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("The Little Painters' Gallery");
  await expect(page.getByTestId("chart-hour").locator("rect")).toHaveCount(60);
  await expect(page.getByTestId("milestones").locator("li")).toHaveCount(4);

  // The campaign's settings open filled in, and save as they are.
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters\/edit$/);
  const form = page.getByTestId("campaign-form");
  await expect(form.getByLabel("Campaign title", { exact: true })).toHaveValue("The Little Painters' Gallery");
  await expect(form.getByLabel("Goal", { exact: true })).toHaveValue("15000000.00");
  await form.getByRole("button", { name: "Save campaign" }).click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters$/);

  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/sign-in\?next=/);
  expect(errors).toEqual([]);
});

test("a wrong password sent before the page's code arrived is explained, and the form then runs", async ({
  browser,
  page,
}) => {
  // A password manager can send the form before the page's code has loaded: it posts without
  // script, and the server sends the browser back with the error in the address.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const early = await plain.newPage();
  await early.goto("/staff/sign-in?next=/staff");
  await early.getByLabel("Email").fill(ADMIN.email);
  await early.getByLabel("Password").fill("not the passphrase");
  await early.getByRole("button", { name: "Sign in" }).click();
  await expect(early.getByTestId("sign-in-error")).toHaveText("That email and password do not match an account.");
  const back = early.url();
  await plain.close();

  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(back);
  await waitForHydration(page);
  await expect(page.getByTestId("sign-in-error")).toHaveText("That email and password do not match an account.");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  expect(errors).toEqual([]);
});

test("a viewer sees the dashboard but cannot moderate", async ({ page }) => {
  await signIn(page, VIEWER);
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId("staff-who")).toHaveText("Vic Viewer · viewer");
  await expect(page.getByRole("button", { name: "Hide" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  await page.goto("/staff/campaigns/little-painters/artworks");
  await expect(page.getByTestId("staff-artworks").locator("li")).toHaveCount(24);
  await expect(page.getByRole("button", { name: "Unpublish" })).toHaveCount(0);
  await expect(page.getByTestId("upload-form")).toHaveCount(0);

  // Asking the server directly, with the viewer's own session, is refused too.
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/staff/review-message", {
    form: { slug: "little-painters", number: "1", review: "hidden" },
    headers: { origin },
  });
  expect(response.status()).toBe(403);
});

test("an admin downloads the donations as CSV, compressed on the wire as browsers ask", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/staff$/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download donations (CSV)" }).click(),
  ]);
  expect(await download.failure()).toBeNull();
  expect(download.suggestedFilename()).toBe("little-painters-donations.csv");
  const fs = await import("fs");
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text.startsWith("\ufeffcertificate_number,status,")).toBe(true);
  expect(text.split("\r\n")[0]).toContain(",email");
});
