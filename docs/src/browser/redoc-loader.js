// Brings a group page's Redoc to life. The page arrives with Redoc's markup prerendered at build
// time, so the reader sees the operations at once; this script then loads the Redoc
// bundle (page-head.js has started fetching it), renders the same page off-screen, and swaps it
// in for the prerendered markup when it is ready, keeping the reader where they are. Nothing
// happens on a page that is being left for another group's page (a deep link).
(() => {
  const REDOC_SCRIPT = 'redoc.standalone.js';

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

  /** Redoc's options and the spec are in the page's #redoc-options and #spec. */
  function start() {
    if (/** @type {any} */ (window).wecomReferenceLeaving) return;
    const prerendered = /** @type {HTMLElement} */ (document.getElementById('redoc'));
    const undoPlacing = placePrerendered(prerendered);
    // Redoc renders into a detached element: replacing the prerendered markup in place would
    // blank the page while Redoc loads the spec.
    const live = document.createElement('div');
    const read = (/** @type {string} */ id) => JSON.parse(document.getElementById(id)?.textContent ?? '{}');
    const [spec, options] = [read('spec'), read('redoc-options')];
    const script = document.createElement('script');
    script.src = REDOC_SCRIPT;
    script.onload = () => {
      undoPlacing();
      /** @type {any} */ (window).Redoc.init(spec, options, live, () => goLive(prerendered, live));
    };
    afterFirstPaint(() => document.body.append(script));
  }

  /**
   * Runs `then` once the page has been painted. Evaluating the bundle and rendering Redoc take
   * the main thread for about a second on a loaded 2-core machine; started before the first
   * paint, they held the prerendered page off the screen until they were done (measured: first
   * paint 500-800 ms after the page was parsed). A hidden tab does not paint: it starts at once.
   */
  function afterFirstPaint(/** @type {() => void} */ then) {
    if (
      document.visibilityState === 'hidden' ||
      performance.getEntriesByName('first-contentful-paint').length > 0
    ) {
      then();
      return;
    }
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      then();
    });
    observer.observe({ type: 'paint', buffered: true });
  }

  // Loaded while the page is parsed (page-head.js): #redoc and #spec may not be there yet.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
