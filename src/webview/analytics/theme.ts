/**
 * Colours and fonts for the charts, read from the `--vscode-*` variables VS Code puts on the
 * webview's root element. Canvas drawing cannot use CSS variables directly, so the values are
 * read once per theme and read again whenever VS Code switches theme (it rewrites the root
 * element's style and the body's class).
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ChartTheme {
  kind: ThemeKind;
  foreground: string;
  muted: string;
  grid: string;
  /** Drawn around bars in high-contrast themes; empty otherwise. */
  border: string;
  fontFamily: string;
  fontSize: number;
  /** Series colours, most distinct first. */
  series: string[];
  ok: string;
  error: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = cssVar(style, '--vscode-foreground', light ? '#3b3b3b' : '#cccccc');
  const contrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  return {
    kind,
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    grid: cssVar(style, '--vscode-charts-lines', light ? 'rgba(0,0,0,0.12)' : 'rgba(255,255,255,0.12)'),
    border: contrast ? cssVar(style, '--vscode-contrastBorder', foreground) : '',
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13,
    series: [
      cssVar(style, '--vscode-charts-blue', '#3794ff'),
      cssVar(style, '--vscode-charts-orange', '#d18616'),
      cssVar(style, '--vscode-charts-green', '#89d185'),
      cssVar(style, '--vscode-charts-purple', '#b180d7'),
      cssVar(style, '--vscode-charts-yellow', '#cca700'),
      cssVar(style, '--vscode-charts-red', '#f14c4c'),
      cssVar(style, '--vscode-charts-foreground', foreground),
    ],
    ok: cssVar(style, '--vscode-charts-blue', '#3794ff'),
    error: cssVar(style, '--vscode-charts-red', '#f14c4c'),
  };
}

/** Calls `changed` after VS Code switches theme. */
export function watchTheme(changed: () => void): void {
  let last = '';
  const check = () => {
    const key = `${document.body.className}|${document.documentElement.getAttribute('style') ?? ''}`;
    if (key === last) return;
    last = key;
    changed();
  };
  last = `${document.body.className}|${document.documentElement.getAttribute('style') ?? ''}`;
  const observer = new MutationObserver(check);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
