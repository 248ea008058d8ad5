import { expect, test } from "@playwright/test";
import { signIn, TEAMS_ADMIN, waitForHydration } from "./support";

test("an employee joins by the emailed link, and a gift through their page moves their dashboard and their team's board", async ({
  browser,
}) => {
  // Four browsers and eight pages: more than the default 30 s on two busy cores.
  test.slow();
  const employee = await (await browser.newContext()).newPage();
  const staff = await (await browser.newContext()).newPage();
  const friend = await (await browser.newContext()).newPage();
  const visitor = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  for (const page of [employee, staff, friend, visitor]) page.on("pageerror", (e) => errors.push(e.message));
  const name = `Robin ${Date.now() % 100000}`;

  // The demo lets its organiser's people join with their work address.
  await employee.goto("/campaigns/little-painters/join");
  await employee.getByLabel("Work email").fill(`robin.${Date.now()}@lantern-harbour.example`);
  await employee.getByLabel("Public name").fill(name);
  await employee.getByLabel("Team").selectOption({ label: "Operations" });
  await employee.getByRole("button", { name: "Send my confirmation link" }).click();
  await expect(employee.getByTestId("join-sent")).toContainText("Check your inbox");

  // The test server has no mail server: the email waits in the outbox, where admins read it.
  await signIn(staff, TEAMS_ADMIN);
  // Signed in once the staff bar names the admin (the sign-in page's own address ends with
  // "next=/staff", so the address alone does not tell).
  await expect(staff.getByTestId("staff-who")).toContainText("Tao Teams");
  await staff.goto("/staff/campaigns/little-painters/emails");
  await staff.getByTestId("email-row").filter({ hasText: "Ambassador confirmation" }).first().getByRole("link").click();
  const text = (await staff.getByTestId("email-text").textContent()) ?? "";
  const link = text.match(/\/join\/confirm\/[0-9a-f]{32}/)?.[0];
  expect(link, text).toBeTruthy();

  // The link opens a page with a button, so a mail scanner following it confirms nothing.
  await employee.goto(link!);
  await employee.getByRole("button", { name: "Confirm" }).click();
  await expect(employee).toHaveURL(/\/ambassadors\/[0-9a-f]{32}$/);
  await expect(employee.getByTestId("ambassador-gifts")).toHaveText("0");
  const page = new URL((await employee.getByTestId("ambassador-page-link").textContent()) ?? "").pathname;
  // Their A4 poster, in each language, is a PNG to print.
  const posters = employee.getByTestId("poster-link");
  await expect(posters).toHaveCount(2);
  const poster = await employee.request.get((await posters.first().getAttribute("href"))!);
  expect(poster.headers()["content-type"]).toBe("image/png");

  await staff.goto("/staff/campaigns/little-painters/teams");
  await waitForHydration(staff);
  const operations = staff.getByTestId("team-board").locator("li", { hasText: "Operations" });
  const before = await operations.textContent();
  // Anyone on the campaign's page sees the same boards, without the people who asked to be left off.
  await visitor.goto("/campaigns/little-painters");
  await waitForHydration(visitor);
  const publicOperations = visitor.getByTestId("team-board").locator("li", { hasText: "Operations" });
  const publicBefore = await publicOperations.textContent();

  // A friend opens the page and gives.
  await friend.goto(page);
  await expect(friend.getByRole("heading", { level: 1 })).toContainText(`${name} invites you`);
  // The page remembers who brought the friend, as a share page does.
  const code = page.split("/").pop();
  expect((await friend.context().cookies()).map((c) => `${c.name}=${c.value}`)).toContain(`gg_shared_by=${code}`);
  await friend.goto("/campaigns/little-painters/artworks/boats-at-dawn");
  await waitForHydration(friend);
  await friend.getByLabel("Your amount (¥)").fill("15");
  await friend.getByRole("button", { name: "Adopt this artwork" }).click();
  await friend.getByRole("button", { name: "Pay ¥15" }).click();
  await expect(friend).toHaveURL(/\/donations\/[0-9a-f]{32}$/);

  // The team's board moves by itself; the ambassador's dashboard counts the visit and the gift.
  await expect(operations).not.toHaveText(before ?? "", { timeout: 10_000 });
  await expect(publicOperations).not.toHaveText(publicBefore ?? "", { timeout: 10_000 });
  await expect(visitor.getByTestId("ambassador-board").locator("li", { hasText: name })).toContainText("1 gift · ¥15");
  await expect(staff.getByTestId("ambassador-board").locator("li", { hasText: name })).toContainText("1 gift · ¥15");
  await employee.reload();
  await expect(employee.getByTestId("ambassador-gifts")).toHaveText("1");
  await expect(employee.getByTestId("ambassador-reached")).toHaveText("1");
  await expect(employee.getByTestId("ambassador-raised")).toHaveText(`¥15 given through ${name}`);
  expect(errors).toEqual([]);
});
