import { escapeHtml, siteHeader } from './pages';
import type { PrerenderedReference } from './reference-prerender';
import type { ReferenceGroupPage } from './reference-split';

const SANS = `system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`;
const MONO = `ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace`;

/**
 * The theme names only fonts the reader's system already has: Redoc's defaults (Roboto,
 * Montserrat) are normally pulled from Google Fonts, which an intranet cannot reach. Redoc's own
 * search is off: it only knows the page's group, and the portal's search box covers them all.
 * Native scrollbars: Redoc's perfect-scrollbar forces a synchronous layout of the whole page when
 * it mounts (about a third of a group page's render in a Chromium CPU profile).
 */
export const REDOC_OPTIONS = {
  scrollYOffset: '.shell',
  pathInMiddlePanel: true,
  requiredPropsFirst: true,
  expandResponses: '200',
  jsonSampleExpandLevel: 3,
  hideHostname: false,
  disableSearch: true,
  nativeScrollbars: true,
  theme: {
    typography: {
      fontFamily: SANS,
      headings: { fontFamily: SANS },
      code: { fontFamily: MONO, wrap: true },
    },
    sidebar: { width: '260px' },
    rightPanel: { width: '42%' },
  },
};

/**
 * One group's Redoc page: Redoc's markup prerendered at build time (shown as soon as it is
 * parsed), then the live Redoc from the inlined spec (so file:// works), swapped in by
 * redoc-loader.js. page-head.js runs first: a deep link to an operation of another group moves
 * to its page, and this one then loads nothing; otherwise it loads the page's scripts without
 * holding up the first paint. live.js is empty in the static portal; `pnpm start` answers it
 * with the proxy "Try it" sends to.
 */
export function referencePage(options: {
  page: ReferenceGroupPage;
  pages: { file: string; name: string }[];
  title: string;
  prerendered: PrerenderedReference;
  /** page-head.js with its anchor map, inlined first in <head>. */
  headScript: string;
  /**
   * The site's stylesheet, inlined: fetching it was the one request left before the first
   * paint, and on the loaded 2-core machine it took up to 300 ms to arrive.
   */
  siteCss: string;
}): string {
  const { page, pages, title, prerendered, headScript, siteCss } = options;
  const json = JSON.stringify(page.spec).replaceAll('<', '\\u003c');
  const groups = pages
    .map(
      ({ file, name }) =>
        `<a href="${file}"${file === page.file ? ' aria-current="page"' : ''}>${escapeHtml(name)}</a>`,
    )
    .join('');
  const search = `
  <div class="search" role="search">
    <input id="reference-search" type="search" placeholder="Search operations, paths, 中文名, errcodes" autocomplete="off" aria-label="Search the reference" aria-controls="reference-results">
    <div id="reference-results" hidden></div>
  </div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>${headScript}</script>
<title>${escapeHtml(page.name)} · ${escapeHtml(title)} · API reference</title>
<link rel="icon" href="data:,">
<style>${siteCss}</style>
<style id="redoc-prerendered-css">${prerendered.css}</style>
</head>
<body class="reference">
<div class="shell">
${siteHeader('../', 'reference/index.html', search)}
<nav class="groups" aria-label="Operation groups">${groups}</nav>
</div>
<div id="redoc">${prerendered.html}</div>
<script id="spec" type="application/json">${json}</script>
<script id="redoc-options" type="application/json">${JSON.stringify(REDOC_OPTIONS)}</script>
</body>
</html>
`;
}
