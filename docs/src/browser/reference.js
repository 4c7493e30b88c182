// The reference's own behaviour around Redoc, loaded before it on every group page: the search
// box over every group and the errcode catalog, and "Try it against the sandbox" when `pnpm
// start` serves the portal (live.js then names the proxy). Deep links to another group's page
// are page-head.js's.
(() => {
  /** @type {{ pages: { file: string, name: string }[], entries: any[] }} */
  const index = /** @type {any} */ (window).wecomReference;
  const here = location.pathname.split('/').pop() || 'index.html';
  const slug = (/** @type {string} */ name) => name.replace(/\s+/g, '-');

  // --- Search -------------------------------------------------------------------------------
  const MAX_RESULTS = 50;

  /** Chinese names given in brackets in a tag's description, e.g. "Customer moments (客户朋友圈)". */
  const bracketed = (/** @type {string} */ text) =>
    [...text.matchAll(/[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]/g)].map((match) => match[1]);

  /** Higher is better; 0 means no match. Exact names beat prefixes beat substrings. */
  function score(/** @type {any} */ entry, /** @type {string} */ query, /** @type {string[]} */ words) {
    /** @param {string[]} fields */
    const every = (fields) => words.every((word) => fields.some((field) => field.includes(word)));
    if (entry.kind === 'errcode') {
      if (String(entry.code) === query) return 1000;
      return every([String(entry.code), entry.name.toLowerCase(), entry.meaning.toLowerCase(), entry.zh])
        ? 50
        : 0;
    }
    if (entry.kind === 'tag') {
      const name = entry.name.toLowerCase();
      if (name === query || bracketed(entry.description).includes(query)) return 820;
      return every([name, entry.description.toLowerCase()]) ? 300 : 0;
    }
    const id = entry.operationId.toLowerCase();
    const path = entry.path.toLowerCase();
    const name = entry.name.toLowerCase();
    const exact = [
      [id, 900],
      [path, 880],
      [entry.zh, 800],
      [name, 780],
    ];
    for (const [field, points] of exact) if (field === query) return points;
    if (path.endsWith(`/${query}`)) return 850;
    if (id.startsWith(query)) return 600;
    if (entry.zh.includes(query)) return 500;
    if (name.includes(query)) return 450;
    if (path.includes(query) || id.includes(query)) return 400;
    return every([id, path, name, entry.zh]) ? 100 : 0;
  }

  /** @returns {{ href: string, kind: string, title: string, detail: string }} */
  function describe(/** @type {any} */ entry) {
    if (entry.kind === 'errcode') {
      return {
        href: `../errcodes.html#errcode-${entry.code}`,
        kind: 'errcode',
        title: `${entry.code} ${entry.name}`,
        detail: `${entry.zh} · ${entry.meaning}`,
      };
    }
    if (entry.kind === 'tag') {
      return {
        href: `${entry.file}#tag/${slug(entry.name)}`,
        kind: 'group',
        title: entry.name,
        detail: entry.description,
      };
    }
    return {
      href: `${entry.file}#operation/${entry.operationId}`,
      kind: entry.kind,
      title: `${entry.name} ${entry.zh}`.trim(),
      detail: `${entry.operationId} · ${entry.method} ${entry.path}`,
    };
  }

  /** The best matches for `text`, best first. */
  function search(/** @type {string} */ text) {
    const query = text.trim().toLowerCase();
    if (!query) return [];
    const words = query.split(/\s+/);
    return index.entries
      .map((entry, order) => ({ entry, order, points: score(entry, query, words) }))
      .filter(({ points }) => points > 0)
      .sort((a, b) => b.points - a.points || a.order - b.order)
      .map(({ entry }) => describe(entry));
  }

  function element(/** @type {string} */ tag, /** @type {string} */ className, /** @type {string} */ text) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    return node;
  }

  function showResults(/** @type {HTMLInputElement} */ input, /** @type {HTMLElement} */ panel) {
    const results = search(input.value);
    panel.replaceChildren();
    panel.hidden = input.value.trim() === '';
    if (panel.hidden) return;
    const shown = results.slice(0, MAX_RESULTS);
    const count =
      results.length === 0 ? 'No match' : `${results.length} result${results.length === 1 ? '' : 's'}`;
    panel.append(
      element(
        'p',
        'count',
        results.length > MAX_RESULTS ? `${count}, the first ${MAX_RESULTS} shown` : count,
      ),
    );
    const list = document.createElement('ol');
    for (const result of shown) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = result.href;
      link.append(
        element('span', `kind kind-${result.kind}`, result.kind),
        element('strong', '', result.title),
      );
      link.append(element('span', 'detail', result.detail));
      link.addEventListener('click', () => {
        panel.hidden = true;
      });
      item.append(link);
      list.append(item);
    }
    panel.append(list);
  }

  // --- Try it against the sandbox -------------------------------------------------------------
  /** @type {Map<number, any>} */
  const errcodes = new Map(index.entries.filter((e) => e.kind === 'errcode').map((e) => [e.code, e]));

  function meaningOf(/** @type {unknown} */ errcode) {
    if (typeof errcode !== 'number') return 'The answer has no errcode.';
    if (errcode === 0) return 'errcode 0: the call succeeded.';
    const row = errcodes.get(errcode);
    return row
      ? `errcode ${errcode}, ${row.name} (${row.class}): ${row.meaning}`
      : `errcode ${errcode} is not in the catalog.`;
  }

  /** Sends `input` as `operation` through the same-origin proxy and describes the answer. */
  async function send(/** @type {string} */ proxy, /** @type {any} */ operation, /** @type {any} */ input) {
    let url = `${proxy}${operation.path}`;
    /** @type {RequestInit} */
    const init = {
      method: operation.method,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    };
    if (operation.method === 'GET') {
      const query = new URLSearchParams(
        Object.entries(input ?? {}).map(([key, value]) => [key, String(value)]),
      );
      if (query.size > 0) url += `?${query}`;
    } else {
      init.headers = { ...init.headers, 'content-type': 'application/json' };
      init.body = JSON.stringify(input ?? {});
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  }

  function tryItForm(/** @type {string} */ proxy, /** @type {any} */ operation) {
    const form = document.createElement('form');
    form.className = 'try-it';
    form.dataset.operation = operation.operationId;
    const input = document.createElement('textarea');
    input.name = 'input';
    input.spellcheck = false;
    input.rows = 8;
    input.value = JSON.stringify(operation.example ?? {}, null, 2);
    const label = element(
      'label',
      '',
      `${operation.method} ${operation.path}, through ${proxy}/ to the sandbox`,
    );
    label.append(input);
    const button = element('button', '', 'Send');
    const output = element('div', 'try-it-answer', '');
    output.setAttribute('aria-live', 'polite');
    form.append(label, button, output);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      let parsed;
      try {
        parsed = JSON.parse(input.value || '{}');
      } catch (error) {
        output.replaceChildren(
          element('p', 'meaning', `The input is not JSON: ${/** @type {Error} */ (error).message}`),
        );
        return;
      }
      button.setAttribute('disabled', '');
      try {
        const { status, body } = await send(proxy, operation, parsed);
        const line = `const result = await wecom.call('${operation.operationId}', ${JSON.stringify(parsed, null, 2)});`;
        output.replaceChildren(
          element('p', 'status', `HTTP ${status}`),
          element('pre', 'body', typeof body === 'string' ? body : JSON.stringify(body, null, 2)),
          element('p', 'meaning', meaningOf(body?.errcode)),
          element('p', '', 'The same call with the client:'),
          element('pre', 'call', line),
        );
      } catch (error) {
        output.replaceChildren(element('p', 'meaning', `No answer: ${/** @type {Error} */ (error).message}`));
      } finally {
        button.removeAttribute('disabled');
      }
    });
    return form;
  }

  /** Called by redoc-loader.js once the live Redoc is in place: one "Try it" per operation of this page. */
  function addTryIt() {
    const live = /** @type {any} */ (window).wecomLive;
    if (!live?.proxy) return;
    for (const operation of index.entries) {
      if (operation.kind !== 'operation' || operation.file !== here) continue;
      const section = document.querySelector(`[data-section-id$="operation/${operation.operationId}"]`);
      // The middle column: the one with the operation's heading.
      const panel = section?.querySelector('h2')?.parentElement;
      if (!panel) continue;
      const details = document.createElement('details');
      details.className = 'try-it-box';
      details.append(element('summary', '', 'Try it against the sandbox'), tryItForm(live.proxy, operation));
      panel.append(details);
    }
  }

  Object.assign(window, { wecomReferenceRendered: addTryIt });
  // Loaded while the page is parsed (page-head.js): it may run before the search box is there, or after.
  whenParsed(() => {
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById('reference-search'));
    const panel = document.getElementById('reference-results');
    if (!input || !panel) return;
    input.addEventListener('input', () => showResults(input, panel));
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') panel.querySelector('a')?.click();
      if (event.key === 'Escape') panel.hidden = true;
    });
  });

  function whenParsed(/** @type {() => void} */ then) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', then);
    else then();
  }
})();
