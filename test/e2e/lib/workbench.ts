/**
 * Driving VS Code's web workbench (code-server) in headless Debian Chromium with playwright-core.
 * Selectors are those of VS Code 1.100 (code-server 4.100.3); see test/e2e/README.md.
 * Every wait is on a selector or an event; none is a fixed delay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { EXTENSION_ID, FAILURES, OUT, RUN, log, waitFor } from './env';
import type { Server } from './server';

/** Chromium flags needed here (closed network, root, no GPU). */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Workbench {
  ctx: BrowserContext;
  page: Page;
  server: Server;
  folder: string;
  /** Errors thrown in the page (for the failure report). */
  pageErrors: string[];
  close(): Promise<void>;
}

let profiles = 0;

/**
 * The workbench URL for a folder on the server. `payload` carries extension development / test
 * paths as vscode-remote:// URIs, so the server's Node extension host loads them.
 */
export function workbenchUrl(server: Server, folder: string, payload?: { devPath?: string; testsPath?: string }): string {
  const authority = new URL(server.url).host;
  const remote = (p: string): string => `vscode-remote://${authority}${p}`;
  const entries: [string, string][] = [];
  if (payload?.devPath) entries.push(['extensionDevelopmentPath', remote(payload.devPath)]);
  if (payload?.testsPath) entries.push(['extensionTestsPath', remote(payload.testsPath)]);
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (entries.length) url += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
  return url;
}

/** Launches a fresh browser profile (a reused one keeps stale webview service workers). */
export async function launchBrowser(): Promise<{ ctx: BrowserContext; page: Page }> {
  const profile = path.join(RUN, 'browser', `profile-${process.pid}-${++profiles}`);
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(profile, { recursive: true });
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: path.join(RUN, 'browser', 'home'), XDG_CONFIG_HOME: path.join(RUN, 'browser', 'home', '.config'), XDG_CACHE_HOME: path.join(RUN, 'browser', 'home', '.cache') } as Record<string, string>,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return { ctx, page };
}

/** Opens a folder in a new browser page (one page = one extension host) and waits for the workbench. */
export async function openWorkbench(server: Server, folder: string): Promise<Workbench> {
  const { ctx, page } = await launchBrowser();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  log(`opening ${folder} on ${server.name}`);
  await page.goto(workbenchUrl(server, folder));
  await waitForWorkbench(page);
  return { ctx, page, server, folder, pageErrors, close: () => ctx.close() };
}

export async function waitForWorkbench(page: Page, timeout = 90_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.part.statusbar').waitFor({ timeout });
  // the Explorer shows the folder once the remote file system is connected
  await page.locator('.explorer-folders-view').first().waitFor({ timeout });
  // the configured color theme is applied (until then the workbench has a provisional one, and
  // the theme picker is not ready)
  await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ timeout });
}

/** Moves the mouse to the activity bar's empty space, where it shows no hover (for clean screenshots). */
export async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(24, 600);
}

/** The quick input widget (command palette, quick open, pickers). */
function quickInput(page: Page): { widget: Locator; input: Locator; rows: Locator } {
  const widget = page.locator('.quick-input-widget');
  return { widget, input: widget.locator('.quick-input-box input'), rows: widget.locator('.quick-input-list .monaco-list-row') };
}

/**
 * Opens the command palette on `title` and returns its row once listed.
 * Retries: a palette opened before the extension host has registered the extension's
 * contributions never refreshes its list (the one known race, see README); so Escape and reopen.
 */
async function findInPalette(page: Page, title: string, timeout: number): Promise<Locator> {
  const deadline = Date.now() + timeout;
  const { input, rows } = quickInput(page);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>' + title);
    // the row whose label is the title (category prefix included)
    const row = rows.filter({ has: page.locator('.label-name', { hasText: title }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2_000 });
      if (attempt > 1) log(`"${title}" listed in the palette at attempt ${attempt}`);
      return row;
    } catch (e) {
      if (Date.now() > deadline) {
        const seen = await rows.allInnerTexts().catch(() => []);
        throw new Error(`command "${title}" not found in the palette after ${attempt} attempts (rows: ${JSON.stringify(seen.slice(0, 5))}): ${String(e)}`);
      }
    }
  }
}

/** Runs a command by its palette title ("Responsible ML: Train & Evaluate"). */
export async function runCommand(page: Page, title: string, { timeout = 60_000 } = {}): Promise<void> {
  const { widget, input } = quickInput(page);
  const row = await findInPalette(page, title, timeout);
  await row.click();
  await parkMouse(page);
  // the palette closes, or the command opens its own picker in the same widget (no '>' then)
  await waitFor(`the palette to run "${title}"`, async () => !(await widget.isVisible()) || !(await input.inputValue()).startsWith('>'), 10_000);
  log(`ran command "${title}"`);
}

/**
 * The command titles the palette lists for `filter` (e.g. "Responsible ML:"), read once `anchor`
 * (a command that must be listed) is: so the list is filtered and the contributions registered,
 * and a missing title really is hidden.
 */
export async function paletteTitles(page: Page, filter: string, anchor: string, timeout = 60_000): Promise<string[]> {
  const { rows } = quickInput(page);
  await findInPalette(page, anchor, timeout); // retried until listed
  const { input } = quickInput(page);
  await input.fill('>' + filter);
  await rows.filter({ has: page.locator('.label-name', { hasText: anchor }) }).first().waitFor({ timeout: 10_000 });
  const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.trim());
  await page.keyboard.press('Escape');
  return labels;
}

/** Opens a workspace file by name through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const name = path.basename(relPath);
  const { widget, input, rows } = quickInput(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relPath);
  const row = rows.filter({ has: page.locator('.label-name', { hasText: name }) }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  await parkMouse(page);
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  await activeTab(page, name).waitFor({ timeout: 30_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
  log(`opened ${relPath}`);
}

/** The active editor tab with this label. */
export function activeTab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: label });
}

/** The code lens of the active editor with this text. */
export function codeLens(page: Page, text: string | RegExp): Locator {
  return page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: text });
}

/**
 * The webview (two nested iframes: the outer .webview from the workbench, the inner #active-frame
 * with the extension's HTML) whose document contains `selector`. Waits until one does.
 */
export async function webview(page: Page, selector: string, timeout = 60_000): Promise<FrameLocator> {
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
  return waitFor(`a webview of ${EXTENSION_ID} showing ${selector}`, async () => {
    const n = await outer.count();
    for (let i = 0; i < n; i++) {
      const inner = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if ((await inner.locator(selector).count()) === 0) continue;
      // pin it by the webview's own id (the order of the iframes changes as panels open and move)
      const id = new URL((await outer.nth(i).getAttribute('src')) ?? '', page.url()).searchParams.get('id');
      if (!id) return inner;
      return page.frameLocator(`iframe.webview.ready[src*="id=${id}&"]`).frameLocator('iframe#active-frame');
    }
    return undefined;
  }, timeout, 250);
}

export async function focusProblems(page: Page): Promise<Locator> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
  }
  await panel.waitFor({ state: 'visible', timeout: 20_000 });
  return panel;
}

/** A marker row of the Problems panel containing all of these strings. */
export function problemRow(page: Page, ...texts: (string | RegExp)[]): Locator {
  let rows = page.locator('.markers-panel .monaco-list-row');
  for (const t of texts) rows = rows.filter({ hasText: t });
  return rows;
}

/** Types into the Problems panel's filter box (the list is virtualised: filter to see a given row). */
export async function filterProblems(page: Page, text: string): Promise<void> {
  const panel = await focusProblems(page);
  const box = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  await box.fill(text);
  await panel.locator('.monaco-list-row').first().waitFor({ timeout: 20_000 }).catch(() => undefined);
}

/** A computed style of the first element matching `selector`, in the page or a webview's document. */
async function computedStyle(where: Page | FrameLocator, selector: string, property: 'backgroundColor' | 'color'): Promise<string> {
  const expr = `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`;
  if ('goto' in where) return where.evaluate<string>(expr);
  const frame = await (await where.owner().elementHandle())?.contentFrame();
  if (!frame) throw new Error('webview frame not found');
  return frame.evaluate<string>(expr);
}

/**
 * Switches between the light and the dark theme ("Preferences: Toggle between Light/Dark Themes",
 * which goes to the workbench.preferredLight/DarkColorTheme settings) and waits until it is
 * painted: the workbench's theme class (e.g. "vscode-theme-defaults-themes-light_modern-json"),
 * then the workbench's colours and each given webview's text colour changed (the class comes
 * first; the colours follow up to seconds later).
 * (Not the "Preferences: Color Theme" picker: it previews the focused theme while it is open, so
 * a theme class on the workbench does not prove a pick was applied; in trials here the picker's
 * result was not reliable.)
 */
export async function toggleTheme(page: Page, themeClass: string, webviews: FrameLocator[] = []): Promise<void> {
  const before = await computedStyle(page, '.part.activitybar', 'backgroundColor');
  const webviewsBefore = await Promise.all(webviews.map((w) => computedStyle(w, 'body', 'color')));
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: 20_000 });
  await waitFor('the workbench colours to change', async () => (await computedStyle(page, '.part.activitybar', 'backgroundColor')) !== before, 20_000);
  for (const [i, w] of webviews.entries()) {
    await waitFor('the webview colours to change', async () => (await computedStyle(w, 'body', 'color')) !== webviewsBefore[i], 20_000);
  }
  log(`color theme: ${themeClass}`);
}

/** A screenshot under test-output/e2e/ (or a subfolder). */
export async function screenshot(page: Page, name: string, dir = OUT): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  log('screenshot', path.relative(process.cwd(), file));
  return file;
}

/** A failure screenshot named after the test. */
export async function failureShot(page: Page, title: string): Promise<void> {
  const name = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80) + '.png';
  await screenshot(page, name, FAILURES).catch(() => undefined);
}

/** Notification toasts (fully slid in) containing this text; the message is in `.notification-list-item-message`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: text });
}
