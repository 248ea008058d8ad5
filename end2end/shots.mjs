import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3300";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
for (const [name, width, height] of [["phone", 390, 844], ["desktop", 1440, 900]]) {
  for (const lang of ["en", "zh-CN"]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: lang, extraHTTPHeaders: { "accept-language": lang } });
    const page = await context.newPage();
    await page.goto(base + "/campaigns/little-painters");
    await page.waitForTimeout(1500);
    const boards = page.locator(".boards");
    await boards.scrollIntoViewIfNeeded();
    await boards.screenshot({ path: `/tmp/w/shots/boards-${name}-${lang}.png` });
    await page.goto(base + "/campaigns/little-painters/teams/1");
    await page.screenshot({ path: `/tmp/w/shots/team-${name}-${lang}.png`, fullPage: true });
    await page.goto(base + "/ambassadors/440cca8824b7afd53cf1852c53759dc3");
    await page.screenshot({ path: `/tmp/w/shots/dash-${name}-${lang}.png`, fullPage: true });
    await context.close();
  }
}
await browser.close();
