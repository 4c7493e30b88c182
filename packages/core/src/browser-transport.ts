import { WecomConfigError } from './errors';
import { assembleTransport, type Transport, type TransportOptions } from './transport';

/**
 * The transport of a browser app that calls a proxy (createWecomProxy) which adds the token: no
 * token provider, and no limiter unless `rateLimit.limiter` brings one, since the proxy's own client
 * limits for every browser at once. Retries, timeouts and errcode handling are the same.
 */
export function createBrowserTransport(options: TransportOptions): Transport {
  if (options.corpSecret !== undefined) {
    throw new WecomConfigError({
      message:
        'corpSecret was given to the browser build of wecom-kit: anyone who opens the page could read it. ' +
        'Keep corpId and corpSecret on your server, mount createWecomProxy there, and point baseUrl at it.',
    });
  }
  if (options.auth !== undefined) {
    // Its credentials (a permanent code, a suite or provider secret) would reach every visitor.
    throw new WecomConfigError({
      message: 'auth belongs on your server: create that client there and mount createWecomProxy.',
    });
  }
  return assembleTransport(options, {});
}
