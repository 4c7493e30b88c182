/**
 * A group page's Redoc rendered to HTML at build time, so the reader sees the operations as soon
 * as the page is parsed. Profiled in Chromium on the 2-core machine, Redoc's own start took about
 * 1.1 s after the HTML arrived even for a one-operation page: evaluating the 1.1 MB bundle,
 * @redocly/openapi-core bundling the spec, then React rendering. None of that is on the way to
 * the first paint any more; the browser still runs it, and reference.js swaps the live Redoc in
 * when it is ready (see `goLive` there).
 *
 * Rendered with Redoc's library build and the same options as the page, from the spec as it is
 * (already one bundled document, so openapi-core's bundling step is skipped).
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import redoc from 'redoc';
import { ServerStyleSheet } from 'styled-components';
import type { Spec } from './code-samples';

export interface PrerenderedReference {
  /** Redoc's markup, for inside the page's #redoc element. */
  html: string;
  /** The CSS of that markup's styled-components classes. */
  css: string;
}

export function prerenderReference(spec: Spec, options: Record<string, unknown>): PrerenderedReference {
  // The sidebar's offset is measured in the browser (reference.js); on the server there is no
  // page to measure, and a selector would only make Redoc warn.
  const store = new redoc.AppStore(spec as never, undefined, { ...options, scrollYOffset: 0 });
  const sheet = new ServerStyleSheet();
  try {
    const html = renderToString(sheet.collectStyles(createElement(redoc.Redoc, { store })));
    // Plain rules for the page's own <style>, which reference.js removes when the live Redoc
    // takes over: a styled-components tag could be taken for one of the client's.
    const css = [...sheet.getStyleTags().matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)]
      .map((match) => match[1])
      .join('\n');
    return { html, css };
  } finally {
    sheet.seal();
  }
}
