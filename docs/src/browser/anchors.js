// Deep links across the reference's group pages: `#operation/x` or `#tag/A` on the wrong page
// moves to the page that has it, before this page loads anything else. Inlined at the top of
// every group page by the build, after `window.wecomReferenceAnchors` (each anchor's page):
// waiting for search-index.js first cost a deep link about a third of its time on a loaded machine.
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
})();
