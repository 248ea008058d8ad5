import { expect, test } from "@playwright/test";
import { signIn, SMALL_PNG, TEAMS_ADMIN, waitForHydration } from "./support";

test("news an admin publishes, with a picture, shows on an open campaign page without a reload, after the pinned one", async ({
  browser,
}) => {
  const visitor = await (await browser.newContext()).newPage();
  const staff = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  visitor.on("pageerror", (e) => errors.push(e.message));
  const title = `Winter term paid ${Date.now() % 100000}`;

  await visitor.goto("/campaigns/little-painters");
  await waitForHydration(visitor);
  const news = visitor.getByTestId("latest-updates").getByTestId("update");
  // The demo pins "Where every yuan goes" above its newer news.
  await expect(news.first()).toContainText("Where every yuan goes");
  await expect(news.first().getByTestId("update-pinned")).toHaveText("Pinned");

  await signIn(staff, TEAMS_ADMIN);
  await expect(staff.getByTestId("staff-who")).toContainText("Tao Teams");
  await staff.goto("/staff/campaigns/little-painters/updates");
  await staff.getByLabel("Title in English").fill(title);
  await staff.getByLabel("Text in English").fill("The teachers' pay for the winter term is paid.\n\nThank you.");
  await staff
    .getByLabel("Picture (optional: JPEG, PNG or WebP)")
    .setInputFiles({ name: "teachers.png", mimeType: "image/png", buffer: SMALL_PNG });
  await staff.getByLabel("What the picture shows, in English").fill("The four teachers in the studio");
  await staff.getByRole("button", { name: "Publish and email" }).click();
  await expect(staff.getByTestId("staff-update").first()).toContainText(title);

  // The open page learns of it from its live stream and fetches its news again.
  await expect(news.nth(1)).toContainText(title);
  await expect(news.nth(1).getByRole("img", { name: "The four teachers in the studio" })).toBeVisible();
  await expect(news.first()).toContainText("Where every yuan goes");
  await expect(news).toHaveCount(2);
  await expect(visitor.getByTestId("latest-updates").getByRole("link", { name: "Read on" }).nth(1)).toHaveAttribute(
    "href",
    /\/campaigns\/little-painters\/updates#update-\d+$/,
  );
  expect(errors).toEqual([]);
});
