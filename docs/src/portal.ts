import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectChangelog } from './changelog';
import { changelogPage } from './changelog-page';
import { type Spec, withCodeSamples } from './code-samples';
import { readGuides } from './guides';
import { withHistory } from './history';
import { type ErrcodeRow, errcodesPage, guidePage, homePage } from './pages';
import { REDOC_OPTIONS, referencePage } from './reference-page';
import { prerenderReference } from './reference-prerender';
import { splitReference } from './reference-split';
import { anchorPages, buildSearchIndex, searchIndexScript } from './search-index';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(docsDir, '..');

export interface BuildOptions {
  outDir: string;
  /** Default: spec/dist/openapi.json, written by `pnpm spec:bundle`. */
  specFile?: string;
  guidesDir?: string;
  /** The git repository whose release tags the changelog compares. Default: this one. */
  historyRoot?: string;
}

/**
 * Writes the whole portal to `outDir`: home, guides, errcode catalog and the Redoc reference.
 * Everything a page loads sits in `outDir`, so the site needs no network at all.
 */
export async function buildPortal(options: BuildOptions): Promise<{ files: string[] }> {
  const specFile = options.specFile ?? join(repoRoot, 'spec/dist/openapi.json');
  const spec = await readSpec(specFile);
  const guides = await readGuides(options.guidesDir ?? join(docsDir, 'guides'));
  const { outDir } = options;
  const files: string[] = [];
  const write = async (path: string, content: string) => {
    const target = join(outDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    files.push(path);
  };

  await rm(outDir, { recursive: true, force: true });
  const reference = withCodeSamples(spec);
  const info = spec.info as { title?: string; version?: string } | undefined;
  const errcodes = errcodeRows(spec);
  const changelog = await collectChangelog({
    historyRoot: options.historyRoot ?? repoRoot,
    toolRoot: repoRoot,
    cacheDir: join(docsDir, 'node_modules/.cache/changelog'),
  });
  const pages = splitReference(withHistory(reference, changelog));
  const searchIndex = buildSearchIndex(pages, errcodes);
  const headScript = `window.wecomReferenceAnchors = ${JSON.stringify(anchorPages(searchIndex))};\n${await readFile(join(docsDir, 'src/browser/page-head.js'), 'utf8')}`;
  const siteCss = await readFile(join(docsDir, 'src/site.css'), 'utf8');
  for (const page of pages) {
    await write(
      `reference/${page.file}`,
      referencePage({
        page,
        pages,
        title: info?.title ?? 'WeCom API',
        prerendered: prerenderReference(page.spec, REDOC_OPTIONS),
        headScript,
        siteCss,
      }),
    );
  }
  await write('reference/search-index.js', searchIndexScript(searchIndex));
  const pageOf = new Map(
    searchIndex.entries.flatMap((entry) => ('operationId' in entry ? [[entry.operationId, entry.file]] : [])),
  );
  await write(
    'changelog.html',
    changelogPage(changelog, (operationId) => pageOf.get(operationId)),
  );
  for (const script of ['reference.js', 'redoc-loader.js']) {
    await write(`reference/${script}`, await readFile(join(docsDir, 'src/browser', script), 'utf8'));
  }
  await write(
    'reference/live.js',
    '// The static portal has no sandbox: "Try it" stays hidden. `pnpm start` serves its own live.js.\n',
  );
  await write('reference/openapi.json', `${JSON.stringify(reference, null, 2)}\n`);
  const redoc = redocScript();
  await write('reference/redoc.standalone.js', offlineRedoc(await readFile(redoc, 'utf8')));
  await copyFile(`${redoc}.LICENSE.txt`, join(outDir, 'reference/redoc.standalone.js.LICENSE.txt'));
  files.push('reference/redoc.standalone.js.LICENSE.txt');
  await write('assets/site.css', siteCss);
  await write(
    'index.html',
    homePage({
      guides,
      specVersion: info?.version ?? '?',
      operationCount: countOperations(spec.paths),
      webhookCount: countOperations(spec.webhooks as Spec['paths'] | undefined),
    }),
  );
  for (const guide of guides) {
    await write(`guides/${guide.slug}.html`, guidePage({ ...guide, guides, slug: guide.slug }));
  }
  await write('errcodes.html', errcodesPage(errcodes));
  return { files: files.sort() };
}

async function readSpec(specFile: string): Promise<Spec> {
  try {
    return JSON.parse(await readFile(specFile, 'utf8')) as Spec;
  } catch (cause) {
    throw new Error(
      `cannot read the bundled spec at ${relative(process.cwd(), specFile)}; run \`pnpm spec:bundle\` first.`,
      {
        cause,
      },
    );
  }
}

/** Redoc's self-contained build: React, styles and the search worker in one file. */
function redocScript(): string {
  return createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
}

const REDOCLY_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
// A blank image of the logo's size: the sidebar keeps its "API docs by Redocly" credit.
const BLANK_LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"/>')}`;

/**
 * Redoc 2 has no option to turn off the sidebar's "API docs by Redocly" logo, which it loads from
 * its CDN on every page: offline that is a failed request and a console error. Swap the URL for an
 * inline image, and fail the build if a Redoc upgrade moves it, rather than ship a page that
 * reaches out.
 */
export function offlineRedoc(script: string): string {
  if (!script.includes(REDOCLY_LOGO)) {
    throw new Error(
      `redoc.standalone.js no longer contains ${REDOCLY_LOGO}; check what it loads before upgrading Redoc.`,
    );
  }
  return script.replaceAll(REDOCLY_LOGO, BLANK_LOGO);
}

function countOperations(items: Spec['paths'] | undefined): number {
  return Object.values(items ?? {}).reduce(
    (count, item) => count + Object.values(item).filter((operation) => operation?.operationId).length,
    0,
  );
}

function errcodeRows(spec: Spec): ErrcodeRow[] {
  const rows = spec['x-wecom-errcodes'];
  if (!Array.isArray(rows)) throw new Error('the spec has no x-wecom-errcodes catalog at its root.');
  return [...(rows as ErrcodeRow[])].sort((a, b) => a.code - b.code);
}
