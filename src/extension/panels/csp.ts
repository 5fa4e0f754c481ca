/**
 * The webviews' HTML shell and Content Security Policy. Pure (Node's crypto only, no 'vscode'),
 * so the unit tests check it.
 *
 * Policy, as in the official webview sample: nothing is allowed by default; the one script is
 * allowed by a per-load nonce from `crypto.randomBytes` (never Math.random); styles, images and
 * fonts only from the extension's own files (`webview.cspSource`), plus data: images. No
 * 'unsafe-inline', no remote content.
 *
 * One addition to the sample: style-src also accepts the same nonce. The webview UI toolkit
 * (FAST) probes `:focus-visible` support with a throw-away `<style>` element that carries the
 * nonce from `<meta property="csp-nonce">`; without it every view logs a CSP violation and the
 * toolkit falls back to showing focus rings on mouse clicks. No stylesheet of ours is inline.
 */
import { randomBytes } from 'node:crypto';
import type { ViewKind } from '../../protocol/messages';

/** A fresh nonce: 128 random bits from the OS CSPRNG, base64 (22+ characters). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The CSP for a webview whose resources come from `cspSource`, with the script nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('contentSecurityPolicy requires a base64 nonce of at least 16 characters');
  // cspSource is one or more sources, e.g. `https://*.vscode-cdn.net` in VS Code or
  // `'self' https://*.vscode-cdn.net` in code-server; it must not end the directive.
  if (/[;",\r\n]/.test(cspSource) || cspSource.trim() === '') throw new Error(`contentSecurityPolicy: unexpected characters in the CSP source ${cspSource}`);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface ShellOptions {
  view: ViewKind;
  title: string;
  cspSource: string;
  nonce: string;
  /** webview URIs (asWebviewUri) of dist/webview.js and dist/webview.css. */
  scriptUri: string;
  styleUri: string;
}

/** The HTML page of every view: the CSP, the stylesheet, one nonce'd script; the view kind in `data-view`. */
export function webviewHtml(o: ShellOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta property="csp-nonce" content="${escapeAttr(o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body data-view="${o.view}">
<main id="app" aria-busy="true"><p class="rml-loading">Loading…</p></main>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
