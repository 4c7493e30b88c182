// The settings every source of requests shares (a transport, and a suite's own token provider),
// kept apart from the transport so that token sources need not import it.
import { WecomConfigError } from './errors';
import type { WecomEvent } from './events';

export const DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';
export const DEFAULT_TIMEOUT_MS = 10_000;

export function normalizeBaseUrl(baseUrl: string | undefined): string {
  const value = (baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  try {
    new URL(value);
  } catch (cause) {
    throw new WecomConfigError({
      message: `baseUrl "${value}" is not an absolute URL such as ${DEFAULT_BASE_URL}.`,
      cause,
    });
  }
  return value;
}

/** One listener that calls both (a client's own and the shared one). */
export function bothListeners(
  own: ((event: WecomEvent) => void) | undefined,
  shared: ((event: WecomEvent) => void) | undefined,
): ((event: WecomEvent) => void) | undefined {
  if (!own || !shared) return own ?? shared;
  return (event) => {
    try {
      own(event);
    } finally {
      shared(event);
    }
  };
}
