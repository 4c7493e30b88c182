// What runs first on every group page, inlined at the top of its <head> by the build after
// `window.wecomReferenceAnchors` (each anchor's page). A deep link (`#operation/x`, `#tag/A`) on
// the wrong page moves to the page that has it before this one loads anything; waiting for
// search-index.js first cost a deep link about a third of its time on a loaded machine.
// Otherwise the page's scripts and the Redoc bundle start loading now, while the page is parsed
// (redoc-loader.js runs the bundle once the page has been painted).
(() => {
  /** @type {Record<string, string>} `operation/x` and `tag/A` to the page they are on */
  const pageOf = /** @type {any} */ (window).wecomReferenceAnchors;
  const here = location.pathname.split('/').pop() || 'index.html';

  /** The page a reference anchor (`operation/x`, `tag/A/operation/x`, `tag/A`) lives on. */
  function pageFor(/** @type {string} */ anchor) {
    const operation = /(?:^|\/)(operation\/[^/]+)$/.exec(anchor);
    if (operation) return pageOf[operation[1] ?? ''];
    const tag = /^(tag\/[^/]+)/.exec(anchor);
    return tag ? pageOf[tag[1] ?? ''] : undefined;
  }

  function followAnchor() {
    const target = pageFor(decodeURIComponent(location.hash.slice(1)));
    if (target && target !== here) {
      Object.assign(window, { wecomReferenceLeaving: true });
      location.replace(`${target}${location.hash}`);
    }
  }
  followAnchor();
  window.addEventListener('hashchange', followAnchor);

  if (/** @type {any} */ (window).wecomReferenceLeaving) return;
  const preload = document.createElement('link');
  preload.rel = 'preload';
  preload.as = 'script';
  preload.href = 'redoc.standalone.js';
  document.head.append(preload);
  // In order, without holding up the parser; not written in the page, where the browser's
  // preload scanner would fetch them on a page that is being left, only to abort them.
  for (const src of ['search-index.js', 'reference.js', 'live.js', 'redoc-loader.js']) {
    const script = document.createElement('script');
    script.src = src;
    script.async = false;
    document.head.append(script);
  }
})();
