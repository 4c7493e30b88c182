// Checks on what a browser sends to createWecomProxy, made before anything is forwarded.

/** Host names a proxy answers by default: this machine, under any of its loopback names. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True when a request's `Host` (header value, or a URL's host) is allowed. A DNS-rebinding page
 * reaches a local server under its own domain name, so anything but a loopback name, or a host in
 * `allowedHosts` (names, or name:port), is refused. A missing or malformed Host is refused too.
 */
export function isAllowedHost(
  host: string | null | undefined,
  allowedHosts?: Iterable<string> | undefined,
): boolean {
  // Only name[:port]: userinfo, paths or spaces would let the URL parser read another host.
  if (!host || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (allowedHosts) {
    for (const allowed of allowedHosts) {
      const wanted = allowed.toLowerCase();
      if (wanted === url.hostname || wanted === url.host) return true;
    }
    return false;
  }
  const name = url.hostname;
  return LOOPBACK_HOSTS.has(name) || name.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/**
 * Why a request comes from another site, or undefined when it does not. Browsers send
 * `Sec-Fetch-Site` and (on every POST and every cross-origin request) `Origin`; a request without
 * them comes from a non-browser client, which only a credential (authorize) can admit.
 */
export function crossSiteReason(
  request: Request,
  ownOrigin: string,
  allowedOrigins: ReadonlySet<string> | undefined,
): string | undefined {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return 'a cross-site request';
  const origin = request.headers.get('origin');
  if (origin === null) return undefined;
  const allowed = allowedOrigins ? allowedOrigins.has(origin) : origin === ownOrigin;
  return allowed ? undefined : 'a request from an origin that is not allowed';
}

/** A POST a page could send without a CORS preflight (a form, `no-cors`) is not JSON: refuse it. */
export function isJsonContentType(request: Request): boolean {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** The body as text, or undefined once it passes `limit` bytes (whatever Content-Length claimed). */
export async function readCapped(request: Request, limit: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length')) > limit) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

export type ParsedBody =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly reason: 'not-object' | 'too-deep' };

/**
 * The body as a JSON object. Nesting deeper than `maxDepth` is refused before parsing: deep
 * values overflow the stack of whatever walks them later (validation, JSON.stringify).
 */
export function parseJsonObject(text: string, maxDepth: number): ParsedBody {
  if (nestingDepth(text) > maxDepth) return { ok: false, reason: 'too-deep' };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // Not JSON: refused below like any other non-object.
  }
  return { ok: false, reason: 'not-object' };
}

/** The deepest nesting of `[` and `{` outside strings, in one pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return deepest;
}

/** Only the query parameters the spec declares for the operation; credentials are never declared. */
export function declaredQuery(
  searchParams: URLSearchParams,
  declared: Readonly<Record<string, unknown>> | undefined,
  isCredential: (name: string) => boolean,
): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of searchParams) {
    if (declared && Object.hasOwn(declared, name) && !isCredential(name)) query[name] = value;
  }
  return query;
}
