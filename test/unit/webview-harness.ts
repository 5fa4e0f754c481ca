/**
 * A stand-in for VS Code's webview host, for rendering dist/webview.js in headless Chromium: a
 * page with the panels' own HTML shell (same CSP and nonce), VS Code-like theme variables, and a
 * stub `acquireVsCodeApi` that records what the webview posts and keeps its state. Used by
 * webview-render.test.ts and scripts/webview-preview.ts (screenshots to look at).
 *
 * Serves on 127.0.0.1 only. Needs Chromium (Debian's /usr/bin/chromium, or $CHROMIUM).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compareRuns, runSideOf, type RunComparison } from '../../src/core/report/compare';
import type { RunRecord } from '../../src/core/report/types';
import { makeNonce, webviewHtml } from '../../src/extension/panels/csp';
import type { HostMessage, ViewKind, WebviewMessage } from '../../src/protocol/messages';

export const ROOT = path.join(__dirname, '../..');
export const DIST = path.join(ROOT, 'dist');

export type Theme = 'dark' | 'light' | 'high-contrast';

/** A subset of VS Code's theme colours (Dark Modern, Light Modern, High Contrast), enough for our CSS and the toolkit. */
const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    foreground: '#cccccc', 'editor-foreground': '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d',
    'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
    focusBorder: '#0078d4', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
    'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
    errorForeground: '#f85149', 'testing-iconPassed': '#73c991', 'editorWidget-border': '#313131', 'panel-border': '#2b2b2b',
    'textBlockQuote-background': '#2b2b2b', 'input-background': '#313131', 'progressBar-background': '#0078d4', 'sideBar-background': '#181818',
    'editorWarning-foreground': '#cca700', 'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
    'panelTitle-activeForeground': '#e7e7e7', 'panelTitle-activeBorder': '#0078d4', 'panelTitle-inactiveForeground': '#9d9d9d',
    'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c',
    'editorIndentGuide-background1': '#404040', 'list-hoverBackground': '#2a2d2e',
  },
  light: {
    foreground: '#3b3b3b', 'editor-foreground': '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171',
    'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90', 'charts-red': '#e51400', 'charts-yellow': '#bf8803',
    focusBorder: '#005fb8', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
    errorForeground: '#e51400', 'testing-iconPassed': '#388a34', 'editorWidget-border': '#c8c8c8', 'panel-border': '#e5e5e5',
    'textBlockQuote-background': '#f8f8f8', 'input-background': '#ffffff', 'progressBar-background': '#005fb8', 'sideBar-background': '#f8f8f8',
    'editorWarning-foreground': '#bf8803', 'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
    'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-activeBorder': '#005fb8', 'panelTitle-inactiveForeground': '#616161',
    'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece',
    'editorIndentGuide-background1': '#d3d3d3', 'list-hoverBackground': '#f2f2f2',
  },
  'high-contrast': {
    foreground: '#ffffff', 'editor-foreground': '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3',
    contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
    'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
    focusBorder: '#f38518', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
    'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
    errorForeground: '#f48771', 'testing-iconPassed': '#73c991', 'editorWidget-border': '#6fc3df', 'panel-border': '#6fc3df',
    'textBlockQuote-background': '#000000', 'input-background': '#000000', 'progressBar-background': '#6fc3df', 'sideBar-background': '#000000',
    'editorWarning-foreground': '#ffd370', 'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
    'panelTitle-activeForeground': '#ffffff', 'panelTitle-activeBorder': '#6fc3df', 'panelTitle-inactiveForeground': '#ffffff',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', 'checkbox-background': '#000000', 'checkbox-border': '#6fc3df',
    'editorIndentGuide-background1': '#ffffff', 'list-hoverBackground': '#000000',
  },
};

function themeCss(theme: Theme): string {
  const base = { 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': 'monospace' };
  const vars = Object.entries({ ...base, ...THEMES[theme] }).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  return `html { ${vars} }\n`;
}

/** What the stub API recorded in the page. */
interface Recorded {
  posted: WebviewMessage[];
  state: unknown;
  csp: string[];
}

/** The page's global object, as the callbacks passed to page.evaluate see it (this tsconfig has no DOM lib). */
interface PageGlobal {
  __rml: Recorded;
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface Harness {
  browser: Browser;
  /** Opens a view: the shell page, with `state` as what getState() returns (a reload). */
  open(view: ViewKind, opts?: { theme?: Theme; state?: unknown; width?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Whether the harness can run here (Chromium and a built webview). */
export function harnessAvailable(): string | undefined {
  const exe = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(exe)) return `no Chromium at ${exe}`;
  if (!fs.existsSync(path.join(DIST, 'webview.js')) || !fs.existsSync(path.join(DIST, 'webview.css'))) return 'dist/webview.js is not built (npm run build)';
  return undefined;
}

export async function startHarness(): Promise<Harness> {
  const pages = new Map<string, { view: ViewKind; theme: Theme; state: unknown }>();
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = pages.get(url.searchParams.get('id') ?? '');
    if (url.pathname === '/page.html' && page) {
      const nonce = makeNonce();
      const shell = webviewHtml({ view: page.view, title: page.view, cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css` });
      // The stub API and the theme, as VS Code injects them: the stub runs first, under the same nonce.
      const stub = `<link rel="stylesheet" href="${origin}/theme.css?theme=${page.theme}">
<script nonce="${nonce}">
window.__rml = { posted: [], state: ${JSON.stringify(page.state ?? null)}, csp: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__rml.csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__rml.posted.push(m), getState: () => window.__rml.state, setState: (s) => { window.__rml.state = s; } });
</script>`;
      const body = page.theme === 'high-contrast' ? 'vscode-high-contrast' : page.theme === 'light' ? 'vscode-light' : 'vscode-dark';
      res.setHeader('content-type', 'text/html');
      res.end(shell.replace('</head>', `${stub}\n</head>`).replace('<body data-view=', `<body class="${body}" data-view=`));
    } else if (url.pathname === '/theme.css') {
      res.setHeader('content-type', 'text/css');
      res.end(themeCss((url.searchParams.get('theme') as Theme | null) ?? 'dark'));
    } else if (url.pathname === '/dist/webview.js' || url.pathname === '/dist/webview.css') {
      res.setHeader('content-type', url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript');
      res.end(fs.readFileSync(path.join(DIST, path.basename(url.pathname))));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let ids = 0;
  return {
    browser,
    async open(view, opts = {}) {
      const id = String(++ids);
      pages.set(id, { view, theme: opts.theme ?? 'dark', state: opts.state });
      const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: 900 } });
      await page.goto(`${origin}/page.html?id=${id}`);
      await page.waitForFunction(() => (globalThis as unknown as PageGlobal).__rml.posted.some((m) => m.type === 'ready'));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts a host message to the page, as the extension would. */
export async function send(page: Page, m: HostMessage): Promise<void> {
  await page.evaluate((msg) => (globalThis as unknown as PageGlobal).postMessage(msg, '*'), m);
}

export async function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobal).__rml.posted);
}

export async function savedState(page: Page): Promise<unknown> {
  return page.evaluate(() => (globalThis as unknown as PageGlobal).__rml.state);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobal).__rml.csp);
}

/** The engine's comparison of two run records, as the host computes it (their config files do not exist here). */
export async function compareRecords(a: RunRecord, b: RunRecord): Promise<RunComparison> {
  const root = os.tmpdir();
  return compareRuns(await runSideOf(a, '/runs/a', { root }), await runSideOf(b, '/runs/b', { root }));
}
