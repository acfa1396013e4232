import { ConsoleStack, screenshot, seriousViolations } from './support/console-stack';

describe('the web console: the product walkthroughs in a real browser', () => {
  let stack: ConsoleStack;

  beforeAll(async () => {
    stack = await ConsoleStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs in from / and lands in the console; Create Team in the switcher creates the team and switches to it', async () => {
    const ada = await stack.person('ada');
    const { page } = ada;
    await page.waitForURL(/\/a\/[0-9a-f-]{36}\/keys$/);
    await page.getByRole('button', { name: /^Switch account/ }).click();
    await page.getByRole('menuitem', { name: 'Create Team' }).click();
    await page.getByRole('textbox', { name: 'Team name' }).fill('Research');
    await page.getByRole('dialog').getByRole('button', { name: 'Create Team' }).click();
    await page.waitForURL(/\/a\/[0-9a-f-]{36}\/members$/);
    await page.getByRole('button', { name: 'Switch account. Current: Research, Team' }).waitFor();
    await screenshot(page, 'members');
    expect(await seriousViolations(page)).toEqual([]);
    expect(ada.errors).toEqual([]);
  });

  it('keeps a deep link through sign-in', async () => {
    const visitor = await stack.visitor('/account');
    await stack.signInAs(visitor.page, stack.uniqueEmail('grace'));
    expect(new URL(visitor.page.url()).pathname).toBe('/account');
  });
});
