import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { ADMIN, waitForHydration } from "./support";

// Every public and staff page, in both languages, on a phone: axe-core finds no violation of
// WCAG 2.2 A/AA (contrast included) once the page has hydrated.
const PHONE = { width: 390, height: 844 };
const ARTWORK = "/campaigns/little-painters/artworks/boats-at-dawn";

async function expectNoViolations(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const found = violations.map((v) => ({
    rule: v.id,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`),
  }));
  expect(found, `axe violations on ${path}`).toEqual([]);
}

/** A confirmed demo gift: its thank-you page and its share page. */
async function giveOnce(page: Page): Promise<{ thankYou: string; share: string }> {
  await page.goto(ARTWORK);
  await waitForHydration(page);
  await page.locator("form.adopt-form button[type=submit]").click();
  await page.locator("form button.pay").first().click();
  await expect(page).toHaveURL(/\/donations\/[0-9a-f]{32}$/);
  const thankYou = new URL(page.url()).pathname;
  const share = await page.getByTestId("share-link").inputValue({ timeout: 15_000 });
  return { thankYou, share: new URL(share).pathname };
}

for (const [language, acceptLanguage] of [
  ["English", "en"],
  ["Chinese", "zh-CN,zh;q=0.9"],
]) {
  test.describe(`in ${language}`, () => {
    test.use({ viewport: PHONE, extraHTTPHeaders: { "Accept-Language": acceptLanguage } });

    test("the public pages have no accessibility violations", async ({ page }) => {
      // Eight pages, each hydrated and analysed: more than the default 30 s on two busy cores.
      test.slow();
      const { thankYou, share } = await giveOnce(page);
      for (const path of ["/", "/campaigns/little-painters", ARTWORK, thankYou, share, "/campaigns/little-painters/transparency", "/campaigns/little-painters/join", "/no-such-page"]) {
        await expectNoViolations(page, path);
      }
    });

    test("the staff pages have no accessibility violations", async ({ page }) => {
      test.slow();
      await expectNoViolations(page, "/staff/sign-in");
      await page.locator("input[type=email]").fill(ADMIN.email);
      await page.locator("input[type=password]").fill(ADMIN.password);
      await page.locator("form button[type=submit]").click();
      await expect(page).toHaveURL(/\/staff$/);
      for (const path of [
        "/staff",
        "/staff/campaigns/little-painters",
        "/staff/campaigns/little-painters/artworks",
        "/staff/campaigns/little-painters/artworks/boats-at-dawn/edit",
        "/staff/campaigns/little-painters/edit",
        "/staff/campaigns/little-painters/sharing",
        "/staff/campaigns/little-painters/teams",
        "/staff/new-campaign",
      ]) {
        await expectNoViolations(page, path);
      }
    });
  });
}
