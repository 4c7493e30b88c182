/** The portal's HTML, written as plain template strings: the site is small and has no runtime. */

export interface GuideSummary {
  slug: string;
  title: string;
  summary: string;
}

export interface ErrcodeRow {
  code: number;
  name: string;
  meaning: string;
  class: string;
  zh?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const SECTIONS = [
  ['reference/index.html', 'API reference'],
  ['guides/getting-started.html', 'Guides'],
  ['errcodes.html', 'Errcodes'],
  ['changelog.html', 'Changelog'],
] as const;

/** The bar at the top of every page; `extra` is added inside it (the reference's search box). */
export function siteHeader(root: string, current?: string, extra = ''): string {
  const links = SECTIONS.map(
    ([href, label]) =>
      `<a href="${root}${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a>`,
  ).join('\n    ');
  return `<header class="bar">
  <a class="brand" href="${root}index.html">wecom-kit</a>
  <nav>
    ${links}
  </nav>${extra}
</header>`;
}

/**
 * Every page links to its siblings relatively (`root` is '' or '../'), so the site works from
 * any mount point and from file:// on a machine with no server at all.
 */
export function layout(options: {
  title: string;
  root: string;
  body: string;
  script?: string;
  /** The section of the bar this page belongs to, e.g. 'changelog.html'. */
  current?: string;
}): string {
  const { title, root, body, script, current } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root}assets/site.css">
</head>
<body>
${siteHeader(root, current)}
<main>
${body}
</main>
${script ? `<script>\n${script}\n</script>\n` : ''}</body>
</html>
`;
}

export function homePage(options: {
  guides: GuideSummary[];
  specVersion: string;
  operationCount: number;
  webhookCount: number;
}): string {
  const events =
    options.webhookCount > 0 ? ` and the ${options.webhookCount} callback events WeCom sends` : '';
  const guides = options.guides
    .map(
      (guide) =>
        `<li><a href="guides/${guide.slug}.html">${escapeHtml(guide.title)}</a><p>${escapeHtml(guide.summary)}</p></li>`,
    )
    .join('\n');
  return layout({
    title: 'wecom-kit documentation',
    root: '',
    body: `<h1>wecom-kit</h1>
<p class="lead">A typed TypeScript client for the WeCom (企业微信) customer-contact API (客户联系), generated from one
hand-maintained OpenAPI 3.1 spec, with a local sandbox of the API.</p>
<section class="cards">
  <a class="card" href="reference/index.html"><strong>API reference</strong>
    <span>All ${options.operationCount} operations${events}, grouped like WeCom's documentation, with a TypeScript sample for each call.</span></a>
  <a class="card" href="errcodes.html"><strong>Errcode catalog</strong>
    <span>Every error code, what it means and how the client reacts to it.</span></a>
  <a class="card" href="reference/openapi.json" download><strong>OpenAPI spec</strong>
    <span>The bundled spec, version ${escapeHtml(options.specVersion)}, as JSON.</span></a>
</section>
<h2>Guides</h2>
<ul class="guides">
${guides}
</ul>
<p class="note">This site is self-contained: it loads no script, style or font from outside, so it works on an
intranet or from a copy on disk.</p>`,
  });
}

export function guidePage(options: {
  title: string;
  html: string;
  guides: GuideSummary[];
  slug: string;
}): string {
  const nav = options.guides
    .map(
      (guide) =>
        `<li${guide.slug === options.slug ? ' aria-current="page"' : ''}><a href="${guide.slug}.html">${escapeHtml(guide.title)}</a></li>`,
    )
    .join('\n');
  return layout({
    title: `${options.title} · wecom-kit`,
    root: '../',
    body: `<div class="with-sidebar">
<nav class="sidebar" aria-label="Guides"><ul>
${nav}
</ul></nav>
<article class="guide">
${options.html}
</article>
</div>`,
  });
}

const ERRCODE_FILTER_SCRIPT = `
const input = document.getElementById('errcode-search');
const classFilter = document.getElementById('errcode-class');
const rows = [...document.querySelectorAll('#errcodes tbody tr')];
const count = document.getElementById('errcode-count');
function apply() {
  const words = input.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
  const wanted = classFilter.value;
  let shown = 0;
  for (const row of rows) {
    const text = row.textContent.toLowerCase();
    const visible = (!wanted || row.dataset.class === wanted) && words.every((word) => text.includes(word));
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  count.textContent = shown + ' of ' + rows.length + ' codes';
}
input.addEventListener('input', apply);
classFilter.addEventListener('change', apply);
apply();`;

const CLASS_ADVICE: Record<string, string> = {
  transient: 'retried with backoff (reads; writes only when nothing happened)',
  token: 'token refreshed once, call retried once',
  config: 'fails fast: fix credentials, IP allow-list or permissions',
  client: 'fails: fix the request',
  permanent: 'fails: cannot succeed in the current state',
};

export function errcodesPage(rows: ErrcodeRow[]): string {
  const body = rows
    .map(
      (row) => `<tr data-class="${escapeHtml(row.class)}" id="errcode-${row.code}">
<td class="code" data-label="Code">${row.code}</td><td data-label="Name">${escapeHtml(row.name)}</td><td data-label="Class"><span class="class class-${escapeHtml(row.class)}">${escapeHtml(row.class)}</span></td>
<td data-label="Meaning">${escapeHtml(row.meaning)}</td><td lang="zh" data-label="Official (中文)">${escapeHtml(row.zh ?? '')}</td></tr>`,
    )
    .join('\n');
  const classes = Object.entries(CLASS_ADVICE)
    .map(
      ([name, advice]) => `<li><span class="class class-${name}">${name}</span> ${escapeHtml(advice)}</li>`,
    )
    .join('\n');
  const options = Object.keys(CLASS_ADVICE)
    .map((name) => `<option value="${name}">${name}</option>`)
    .join('');
  return layout({
    title: 'Errcode catalog · wecom-kit',
    root: '',
    body: `<h1>Errcode catalog</h1>
<p>Every error code the customer-contact API and <code>gettoken</code> can return, from
<code>spec/errcodes.yaml</code>. The runtime decides by class, never by code:</p>
<ul class="classes">
${classes}
</ul>
<div class="filters">
  <label>Search <input id="errcode-search" type="search" placeholder="code, name, meaning or 中文" autocomplete="off"></label>
  <label>Class <select id="errcode-class"><option value="">all</option>${options}</select></label>
  <span id="errcode-count" aria-live="polite"></span>
</div>
<table id="errcodes">
<thead><tr><th>Code</th><th>Name</th><th>Class</th><th>Meaning</th><th>Official (中文)</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`,
    script: ERRCODE_FILTER_SCRIPT,
  });
}
