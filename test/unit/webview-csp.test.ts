import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../src/extension/panels/csp';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview CSP and nonce', () => {
  it('makes 128-bit base64 nonces from crypto, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = makeNonce();
      assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(Buffer.from(n, 'base64').length, 16);
      seen.add(n);
    }
    assert.equal(seen.size, 1000);
    const src = fs.readFileSync(path.join(__dirname, '../../src/extension/panels/csp.ts'), 'utf8');
    assert.ok(src.includes('randomBytes(16)') && !/Math\.random\s*\(/.test(src));
  });

  it('allows nothing by default, the one script by nonce, and resources only from the extension', () => {
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA==';
    assert.equal(
      contentSecurityPolicy(SOURCE, nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${SOURCE} 'nonce-${nonce}'; img-src ${SOURCE} data:; font-src ${SOURCE}`,
    );
    assert.ok(!contentSecurityPolicy(SOURCE, nonce).includes('unsafe'));
    assert.throws(() => contentSecurityPolicy(SOURCE, "x' 'unsafe-inline"), /base64 nonce/);
    assert.throws(() => contentSecurityPolicy(`${SOURCE}; script-src *`, nonce), /unexpected characters/);
    assert.throws(() => contentSecurityPolicy('', nonce), /unexpected characters/);
    // code-server's cspSource is two sources.
    assert.equal(contentSecurityPolicy("'self' https://*.vscode-cdn.net", nonce).split('; ')[2], `style-src 'self' https://*.vscode-cdn.net 'nonce-${nonce}'`);
  });

  it('writes a shell with the CSP, the nonce on the only script, and no inline style or remote content', () => {
    const nonce = makeNonce();
    const html = webviewHtml({ view: 'report', title: 'Report: <a&b>', cspSource: SOURCE, nonce, scriptUri: `${SOURCE}/ext/dist/webview.js`, styleUri: `${SOURCE}/ext/dist/webview.css` });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(csp);
    assert.equal(csp[1], contentSecurityPolicy(SOURCE, nonce));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${SOURCE}/ext/dist/webview.js">`]);
    assert.ok(html.includes(`<meta property="csp-nonce" content="${nonce}">`));
    assert.ok(!/ style=|<style/i.test(html));
    assert.equal((html.match(/https?:\/\/(?!file\+\.vscode-resource)/g) ?? []).length, 0);
    assert.ok(html.includes('<body data-view="report">'));
    assert.ok(html.includes('<title>Report: &lt;a&amp;b&gt;</title>'));
  });
});
