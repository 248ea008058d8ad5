import { test, expect, Page } from "@playwright/test";
import { waitForHydration } from "./support";

/** Collects hydration and console errors for a page. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}

test.describe("a visitor whose browser reads Chinese", () => {
  test.use({ locale: "zh-CN", extraHTTPHeaders: { "Accept-Language": "zh-CN,zh;q=0.9" } });

  test("sees the landing page in Chinese, before and after hydration", async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("小画家画廊");
    await expect(page.locator(".thermo-of")).toHaveText("已筹，目标 ¥1500万");
    await waitForHydration(page);
    // Following a link keeps the language.
    await page.locator("ul.gallery").getByRole("link", { name: /清晨的渔船/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("清晨的渔船");
    await expect(page.locator(".artwork-artist")).toHaveText("作者：陈浩，14岁");
    await expect(page.getByRole("heading", { name: "认领这幅画" })).toBeVisible();
    expect(errors, "no hydration or console errors").toEqual([]);
  });

  test("can switch to English, and the choice is remembered", async ({ page }) => {
    await page.goto("/campaigns/little-painters/artworks/boats-at-dawn");
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "语言" }).getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/campaigns\/little-painters\/artworks\/boats-at-dawn$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Boats at Dawn");

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("The Little Painters' Gallery");

    await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "中文" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("小画家画廊");
  });
});
