// The demo's live feed: the callback events this process received most recently, kept in memory,
// and a Server-Sent Events stream that replays them to each browser and then pushes new ones.
// Plain JavaScript, like server.mjs, so that scripts/start.mjs imports it with node alone.

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * The fields of a verified, decrypted callback message (never its WelcomeCode, see server.mjs).
 * @typedef {{ readonly [field: string]: unknown }} FeedEvent
 */
/**
 * A callback as it reached the app. `welcoming` marks an add-contact event whose WelcomeCode the
 * backend is spending; a `welcome` entry with `replyTo` set to this entry's id tells how it went.
 * @typedef {{ kind: 'callback', event: FeedEvent, welcoming: boolean }} CallbackFields
 */
/**
 * The outcome of the welcome message sent for a callback entry.
 * @typedef {{ kind: 'welcome', replyTo: string, UserID: string, ExternalUserID: string, ok: boolean,
 *   errcode?: number, errmsg?: string }} WelcomeFields
 */
/**
 * One entry of the feed. `id` is also the SSE event id; `receivedAt` is when this process got it (ms).
 * @typedef {{ id: string, receivedAt: number } & (CallbackFields | WelcomeFields)} FeedEntry
 */
/**
 * @typedef {object} EventFeed
 * @property {(fields: CallbackFields | WelcomeFields) => FeedEntry} publish
 * @property {(lastEventId: string | undefined) => FeedEntry[]} since
 * @property {(listener: (entry: FeedEntry) => void) => () => void} subscribe
 */

/**
 * A bounded ring of recent entries with listeners for new ones.
 *
 * @param {{ limit?: number }} [options] `limit`: entries kept, the oldest dropped first (default 100)
 * @returns {EventFeed}
 */
export function createEventFeed({ limit = 100 } = {}) {
  // Ids carry this process's start time, so a browser reconnecting after a restart is not taken
  // for one that has already seen the new process's first entries.
  const epoch = Date.now().toString(36);
  let sequence = 0;
  /** @type {FeedEntry[]} */
  const recent = [];
  /** @type {Set<(entry: FeedEntry) => void>} */
  const listeners = new Set();
  return {
    publish(fields) {
      const entry = /** @type {FeedEntry} */ ({
        id: `${epoch}-${++sequence}`,
        receivedAt: Date.now(),
        ...fields,
      });
      recent.push(entry);
      if (recent.length > limit) recent.shift();
      for (const listener of listeners) listener(entry);
      return entry;
    },
    since(lastEventId) {
      const seen = recent.findIndex((entry) => entry.id === lastEventId);
      // An id from before a restart, or one already dropped from the ring: send everything kept
      // and let the browser skip what it has (ids are unique).
      return seen === -1 ? [...recent] : recent.slice(seen + 1);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** How long a browser waits before reconnecting; EventSource's own default is about as long. */
const RECONNECT_MS = 2_000;
/** A browser that stops reading is cut off rather than buffered for without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * @typedef {object} EventStreamOptions
 * @property {number} [heartbeatMs] how often a comment line keeps idle proxies from closing the
 *   stream (default 15 s)
 * @property {number} [maxStreams] streams open at once; more answer 503 (default 100)
 * @property {Record<string, unknown>} [ready] sent first as an `event: ready` message: what the
 *   page may offer (e.g. `{ simulate: true }`)
 */

/**
 * A node:http handler for `GET <path>`: `text/event-stream` of the feed. On connect it replays the
 * kept entries (after `Last-Event-ID` when the browser sends one), then pushes new ones as they
 * are published.
 *
 * @param {EventFeed} feed
 * @param {EventStreamOptions} [options]
 * @returns {(request: IncomingMessage, response: ServerResponse) => void}
 */
export function createEventStream(feed, { heartbeatMs = 15_000, maxStreams = 100, ready = {} } = {}) {
  let open = 0;
  return (request, response) => {
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (open >= maxStreams) {
      response.writeHead(503, { 'retry-after': '5' }).end();
      return;
    }
    open++;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Asks nginx-like proxies in front of the demo not to hold events back in their buffers.
      'x-accel-buffering': 'no',
    });
    const send = (/** @type {string} */ text) => {
      if (response.writableLength > MAX_BUFFERED_BYTES) response.destroy();
      else response.write(text);
    };
    send(`retry: ${RECONNECT_MS}\n\n`);
    send(`event: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    for (const entry of feed.since(lastEventId(request))) send(formatEntry(entry));
    const unsubscribe = feed.subscribe((entry) => send(formatEntry(entry)));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
    response.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open--;
    });
  };
}

/** @param {FeedEntry} entry */
function formatEntry(entry) {
  // JSON.stringify escapes newlines, so the entry is always a single `data:` line.
  return `id: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`;
}

/** @param {IncomingMessage} request */
function lastEventId(request) {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
