import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, newNonce, panelHtml } from '../../../src/extension/analytics/panelHtml';
import { parseCsp, scriptTags } from '../../support/csp';

const parts = (nonce: string) => ({
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/analytics.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/analytics.css',
});

describe('analytics panel document', () => {
  it('declares a strict Content-Security-Policy, directive by directive', () => {
    const nonce = newNonce();
    const csp = parseCsp(panelHtml(parts(nonce)));
    assert.deepEqual(csp, {
      'default-src': ["'none'"],
      'script-src': [`'nonce-${nonce}'`],
      'style-src': ['https://file+.vscode-resource.vscode-cdn.net'],
      'font-src': ['https://file+.vscode-resource.vscode-cdn.net'],
    });
    for (const sources of Object.values(csp)) {
      for (const s of sources) assert.doesNotMatch(s, /unsafe-|\*|data:|blob:/);
    }
    assert.equal(contentSecurityPolicy('X', 'n'), "default-src 'none'; script-src 'nonce-n'; style-src X; font-src X");
  });

  it('uses a new unguessable nonce for every load, and only the script tag carries it', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.ok(Buffer.from(n, 'base64').length >= 16);
    const nonce = newNonce();
    const html = panelHtml(parts(nonce));
    const scripts = scriptTags(html);
    assert.equal(scripts.length, 1);
    assert.deepEqual(scripts[0], { nonce, src: parts(nonce).scriptUri, inline: false });
    assert.equal(html.split(nonce).length - 1, 2, 'the nonce appears in the policy and on the script tag only');
  });

  it('has no inline script, inline style or inline event handler', () => {
    const html = panelHtml(parts(newNonce()));
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style/i);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
  });

  it('labels every control for screen readers', () => {
    const html = panelHtml(parts(newNonce()));
    // Each select and input sits inside its <label>.
    const controls = html.match(/<(select|input)\b[^>]*>/g) ?? [];
    assert.ok(controls.length >= 6);
    for (const control of controls) {
      const at = html.indexOf(control);
      assert.ok(html.lastIndexOf('<label>', at) > html.lastIndexOf('</label>', at), `${control} has no label`);
    }
    const buttons = html.match(/<button\b[^>]*>/g) ?? [];
    assert.equal(buttons.length, 4);
    for (const b of buttons) assert.match(b, /aria-label="[^"]+"/);
    // Every chart canvas is an image with a caption and a description.
    const canvases = html.match(/<canvas\b[^>]*>/g) ?? [];
    assert.equal(canvases.length, 5);
    for (const c of canvases) assert.match(c, /role="img" aria-labelledby="[\w-]+" aria-describedby="[\w-]+"/);
  });
});

describe('analytics panel document structure', () => {
  it('gives every element a unique id', () => {
    const ids = [...panelHtml(parts(newNonce())).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });
});

describe('analytics panel initial filter', () => {
  it('carries the filter a new panel opens with in an escaped data attribute', () => {
    const html = panelHtml({ ...parts(newNonce()), initialFilter: { period: { kind: 'last7Days' }, model: '"><script>x</script>' } });
    const value = /<body data-initial-filter="([^"]*)">/.exec(html)?.[1];
    assert.ok(value);
    assert.doesNotMatch(html, /<script>x/);
    const decoded = JSON.parse(value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as unknown;
    assert.deepEqual(decoded, { period: { kind: 'last7Days' }, model: '"><script>x</script>' });
    assert.match(panelHtml(parts(newNonce())), /<body>/);
  });
});
