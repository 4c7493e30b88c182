// Brings a group page's Redoc to life. The page arrives with Redoc's markup prerendered at build
// time, so the reader sees the operations at once; meanwhile the Redoc bundle loads and renders
// the same page off-screen, and takes the prerendered markup's place when it is ready, keeping
// the reader where they are. Loaded after reference.js, which says whether this page is being
// left for another group's page (a deep link): then nothing is loaded.
(() => {
  const leaving = () => Boolean(/** @type {any} */ (window).wecomReferenceLeaving);
  const REDOC_SCRIPT = 'redoc.standalone.js';

  // Fetch the 1.1 MB bundle while the page is still being parsed, not after it.
  if (!leaving()) {
    const preload = document.createElement('link');
    preload.rel = 'preload';
    preload.as = 'script';
    preload.href = REDOC_SCRIPT;
    document.head.append(preload);
  }

  /** The bottom of the sticky site and group bars: what is above it is hidden. */
  const shellBottom = () => document.querySelector('.shell')?.getBoundingClientRect().bottom ?? 0;

  /**
   * What Redoc does on start, for the prerendered markup: the sidebar below the bars, the link's
   * target on screen below them. The target's scroll margin also holds for the browser's own
   * scroll to the fragment, which comes after this; it is removed before Redoc starts, as Redoc
   * scrolls by the bars' height itself. Returns that undo.
   */
  function placePrerendered(/** @type {HTMLElement} */ container) {
    const top = shellBottom();
    const menu = /** @type {HTMLElement | null} */ (container.querySelector('.menu-content'));
    if (menu) {
      menu.style.top = `${top}px`;
      menu.style.height = `calc(100vh - ${top}px)`;
    }
    const anchor = decodeURIComponent(location.hash.slice(1));
    const target = /** @type {HTMLElement | null} */ (
      anchor ? container.querySelector(`[data-section-id="${CSS.escape(anchor)}"]`) : null
    );
    if (!target) return () => {};
    target.style.scrollMarginTop = `${top}px`;
    target.scrollIntoView();
    return () => target.style.removeProperty('scroll-margin-top');
  }

  /** The first section not hidden under the bars, and how far down the screen it starts. */
  function readingPlace(/** @type {HTMLElement} */ container) {
    const top = shellBottom();
    for (const section of container.querySelectorAll('[data-section-id]')) {
      const box = section.getBoundingClientRect();
      if (box.bottom > top) return { id: section.getAttribute('data-section-id') ?? '', offset: box.top };
    }
    return undefined;
  }

  function goLive(/** @type {HTMLElement} */ prerendered, /** @type {HTMLElement} */ live) {
    const place = readingPlace(prerendered);
    live.id = 'redoc';
    prerendered.replaceWith(live);
    document.getElementById('redoc-prerendered-css')?.remove();
    const same = place && live.querySelector(`[data-section-id="${CSS.escape(place.id)}"]`);
    if (place && same) window.scrollBy(0, same.getBoundingClientRect().top - place.offset);
    live.dataset.live = '';
    /** @type {any} */ (window).wecomReferenceRendered?.();
  }

  /** Called at the end of the page, with Redoc's options: the spec is in #spec. */
  function start(/** @type {Record<string, unknown>} */ options) {
    if (leaving()) return;
    const prerendered = /** @type {HTMLElement} */ (document.getElementById('redoc'));
    const undoPlacing = placePrerendered(prerendered);
    // Redoc renders into a detached element: replacing the prerendered markup in place would
    // blank the page while Redoc loads the spec.
    const live = document.createElement('div');
    const spec = JSON.parse(document.getElementById('spec')?.textContent ?? '{}');
    const script = document.createElement('script');
    script.src = REDOC_SCRIPT;
    script.onload = () => {
      undoPlacing();
      /** @type {any} */ (window).Redoc.init(spec, options, live, () => goLive(prerendered, live));
    };
    document.body.append(script);
  }

  Object.assign(window, { wecomReferencePage: { start } });
})();
