import { test, expect, Page } from "@playwright/test";
import { ADMIN, signIn, waitForHydration } from "./support";

/** Collects Content-Security-Policy violations and script errors from here on. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => violations.push(e.message));
  page.on("dialog", (d) => {
    violations.push(`a script opened a dialog: ${d.message()}`);
    void d.dismiss();
  });
  return violations;
}

async function visit(page: Page, path: string, hydrates = true) {
  const response = await page.goto(path);
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy, `${path} has a policy`).toContain("script-src 'self' 'nonce-");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  if (hydrates) await waitForHydration(page);
  return policy;
}

test("public pages run, hydrate and move under their Content-Security-Policy", async ({ page }) => {
  const violations = watchViolations(page);
  for (const path of [
    "/",
    "/campaigns/little-painters",
    "/campaigns/little-painters/artworks/boats-at-dawn",
    "/campaigns/little-painters/artworks/no-such-artwork",
  ]) {
    const policy = await visit(page, path);
    expect(policy).toContain("frame-ancestors 'none'");
  }
  // A link followed from a page whose islands run loads the next under the same policy.
  await page.goto("/");
  await waitForHydration(page);
  await page.locator("ul.gallery").getByRole("link", { name: /Boats at Dawn/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boats at Dawn");

  // The policy is enforced, and a refusal would be seen: a script the server did not write in
  // is blocked.
  await page.evaluate(() => {
    const injected = document.createElement("script");
    injected.textContent = "window.__injected = true";
    document.body.append(injected);
  });
  await expect.poll(() => violations.length).toBe(1);
  expect(await page.evaluate(() => (window as any).__injected)).toBeUndefined();
  violations.length = 0;

  // The widget is the one page other sites may frame; its own script runs and follows the stream.
  const policy = await visit(page, "/embed/campaigns/little-painters", false);
  expect(policy).toContain("frame-ancestors *");
  await expect(page.locator("#raised")).toHaveText(/^¥/);
  expect(violations).toEqual([]);
});

test("staff pages run under their policy, and stored text never becomes markup", async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, ADMIN, "/staff/campaigns/little-painters/edit");
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters\/edit$/);
  await waitForHydration(page);

  const hostile =
    '</textarea><script>alert(1)</script><img src=x onerror="alert(2)">' +
    "<svg><script>alert(3)</script></svg><iframe srcdoc=\"<script>alert(4)</script>\"></iframe> Tom &amp; Jerry";
  const form = page.getByTestId("campaign-form");
  const story = form.locator("textarea[name=story_translated]");
  const original = await story.inputValue();
  await story.fill(hostile);
  await form.getByRole("button", { name: "Save campaign" }).click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters$/);

  // Rendered by the server, loaded directly and by following the staff bar's links.
  await visit(page, "/staff/campaigns/little-painters/edit");
  await expect(page.locator("textarea[name=story_translated]")).toHaveValue(hostile);
  await page.getByRole("link", { name: /Dashboard/ }).first().click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters$/);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.locator("textarea[name=story_translated]")).toHaveValue(hostile);
  expect(await page.locator("script:not([src])").evaluateAll((s) => s.map((e) => e.textContent))).not.toContain(
    "alert(1)",
  );

  // Put the campaign's story back as it was.
  await page.locator("textarea[name=story_translated]").fill(original);
  await page.getByTestId("campaign-form").getByRole("button", { name: "Save campaign" }).click();
  await expect(page).toHaveURL(/\/staff\/campaigns\/little-painters$/);
  await visit(page, "/staff/campaigns/little-painters/artworks");
  expect(violations).toEqual([]);
});
