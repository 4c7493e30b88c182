import { type Clock, systemClock } from '../clock';
import { WecomConfigError } from '../errors';
import { createEventSink, type EventSink, type WecomEvent } from '../events';
import { fetchSend, globalFetchSend, type HttpSend } from '../http';
import type { SharedResources } from '../shared';
import { loadTelemetry } from '../telemetry/load';
import { type TokenFetchTracer, withTelemetry } from '../telemetry/types';
import { bothListeners, DEFAULT_TIMEOUT_MS, normalizeBaseUrl } from '../transport-settings';
import { gettokenIssuer } from './gettoken';
import type { TokenIssuer } from './issuer';
import { MemoryTokenStore } from './memory-store';
import { TokenProvider } from './provider';
import { providerTokenIssuer, suiteTokenIssuer, thirdPartyCorpTokenIssuer } from './service-issuers';
import type { TokenKind, TokenSource, TokenStore } from './store';
import { MemorySuiteTicketStore, type SuiteTicketStore } from './suite-tickets';

/** What a client's token source is built from: the client's own resolved settings. */
export interface TokenSourceSettings {
  baseUrl: string;
  send: HttpSend;
  timeoutMs: number;
  store: TokenStore;
  emit: EventSink;
  clock: Clock;
  /** Wraps each token request in its span, when OpenTelemetry is loaded. */
  traceTokenFetch?: TokenFetchTracer;
}

/**
 * How a client gets its token (its "auth strategy", passed as `auth`): a customized app's corp
 * token, a third-party corp token through a suite (`suite.corp(...)`), the suite's own token (the
 * suite itself) or the provider token. A self-built app needs none: `corpId` and `corpSecret`.
 */
export interface WecomAuth {
  /** Which token its source gives: the client refuses operations that need another kind. */
  readonly kind: TokenKind;
  /** The corp (or suite) whose rate-limit budgets the client's calls count against. */
  readonly scope: string;
  createTokenSource(settings: TokenSourceSettings): TokenSource;
}

function requireValue(name: string, value: string | undefined, hint: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new WecomConfigError({
    message: `${name} is ${value === undefined ? 'missing' : 'empty'}: ${hint} (if you read it from an environment variable, that variable is not set).`,
  });
}

function authOf(kind: TokenKind, scope: string, issuer: () => TokenIssuer): WecomAuth {
  return {
    kind,
    scope,
    createTokenSource: ({ store, emit, ...settings }) =>
      new TokenProvider({ ...settings, issuer: issuer(), store, onEvent: emit }),
  };
}

/** A self-built app's token: gettoken with corpId and the app's Secret (the `corpId`/`corpSecret` options). */
export function selfBuiltApp(credentials: {
  corpId: string;
  corpSecret: string;
  agentId?: string | number;
}): WecomAuth {
  const { corpId, corpSecret, agentId } = credentials;
  return authOf('access', corpId, () =>
    gettokenIssuer({ corpId, secret: corpSecret, ...(agentId !== undefined && { agentId }) }),
  );
}

/**
 * A customized app (代开发) in one authorizing corp: its token comes from gettoken with the corp's
 * id and the permanent code the authorization produced (get_corp_token answers 48002 for it).
 */
export function customizedApp(authorization: {
  /** The authorizing corp's id (auth_corp_info.corpid). */
  corpId: string;
  /** The permanent code get_permanent_code returned for the corp. */
  permanentCode: string;
  agentId?: string | number;
}): WecomAuth {
  const corpId = requireValue('corpId', authorization.corpId, "pass the authorizing corp's id");
  const permanentCode = requireValue(
    'permanentCode',
    authorization.permanentCode,
    'pass the permanent code get_permanent_code returned for this corp',
  );
  const { agentId } = authorization;
  return authOf('access', corpId, () =>
    gettokenIssuer({
      corpId,
      secret: permanentCode,
      secretName: 'permanentCode',
      ...(agentId !== undefined && { agentId }),
    }),
  );
}

/**
 * The service provider's own token (provider_access_token), for the provider-level operations
 * such as finishing the external_userid migration.
 */
export function serviceProvider(credentials: {
  /** The service provider's corp id (服务商的corpid). */
  corpId: string;
  /** The provider Secret (服务商管理后台 › 服务商信息 › 基本信息). */
  providerSecret: string;
}): WecomAuth {
  const corpId = requireValue('corpId', credentials.corpId, "pass the service provider's corp id");
  const providerSecret = requireValue(
    'providerSecret',
    credentials.providerSecret,
    'pass the provider Secret from 服务商管理后台 › 服务商信息 › 基本信息',
  );
  return authOf('provider', corpId, () => providerTokenIssuer({ corpId, providerSecret }));
}

export interface SuiteOptions {
  suiteId: string;
  suiteSecret: string;
  /**
   * Where the command callback stores each suite_ticket (createCallbackHandler's `suiteTickets`).
   * Default: one in memory, which only a callback handler of this process can fill.
   */
  tickets?: SuiteTicketStore;
  /** The suite token is cached in the shared token store and fetched through the shared way of sending. */
  shared?: SharedResources;
  /** Default: the shared store, else a new MemoryTokenStore. */
  tokenStore?: TokenStore;
  /** Default https://qyapi.weixin.qq.com. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per get_suite_token request. Default 10 s. */
  timeoutMs?: number;
  onEvent?: (event: WecomEvent) => void;
  clock?: Clock;
}

/** A third-party app (第三方应用): one suite token, shared by the clients of every authorizing corp. */
export interface Suite extends WecomAuth {
  readonly kind: 'suite';
  readonly suiteId: string;
  readonly tickets: SuiteTicketStore;
  /** The suite's token source; as `auth` of a client it calls the suite-token operations (get_permanent_code, …). */
  readonly tokens: TokenSource;
  /** The auth of one authorizing corp: its corp token comes from get_corp_token with this suite's token. */
  corp(authorization: {
    /** The authorizing corp's id (auth_corp_info.corpid). */
    authCorpId: string;
    /** The permanent code get_permanent_code returned for the corp. */
    permanentCode: string;
  }): WecomAuth;
}

/**
 * A third-party suite. Create it once per process and derive a client per authorizing corp with
 * `createWecomClient({ auth: suite.corp({ authCorpId, permanentCode }), shared })`.
 */
export function createSuite(options: SuiteOptions): Suite {
  const suiteId = requireValue('suiteId', options.suiteId, "pass the suite's SuiteID");
  const suiteSecret = requireValue(
    'suiteSecret',
    options.suiteSecret,
    "pass the suite's Secret from 服务商管理后台 › 应用管理",
  );
  const { shared } = options;
  const clock = options.clock ?? shared?.clock ?? systemClock;
  const tickets = options.tickets ?? new MemorySuiteTicketStore(clock);
  const send = options.fetch ? fetchSend(options.fetch) : (shared?.send ?? globalFetchSend);
  const store: TokenStore = options.tokenStore ?? shared?.tokenStore ?? new MemoryTokenStore(clock);
  // The suite's token outlives any one client, so it is traced and counted here, not by a transport.
  const telemetry = loadTelemetry();
  const emit = withTelemetry(createEventSink(bothListeners(options.onEvent, shared?.onEvent)), telemetry);
  store.subscribe?.(emit);
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const tokens = new TokenProvider({
    issuer: suiteTokenIssuer({ suiteId, suiteSecret, tickets }),
    baseUrl,
    send,
    store,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    onEvent: emit,
    clock,
    ...(telemetry && { traceTokenFetch: telemetry.traceTokenFetch(baseUrl) }),
  });
  return {
    kind: 'suite',
    scope: suiteId,
    suiteId,
    tickets,
    tokens,
    createTokenSource: () => tokens,
    corp(authorization) {
      const authCorpId = requireValue(
        'authCorpId',
        authorization.authCorpId,
        "pass the authorizing corp's id (auth_corp_info.corpid)",
      );
      const permanentCode = requireValue(
        'permanentCode',
        authorization.permanentCode,
        'pass the permanent code get_permanent_code returned for this corp',
      );
      return authOf('access', authCorpId, () =>
        thirdPartyCorpTokenIssuer({ suiteId, suite: tokens, authCorpId, permanentCode }),
      );
    },
  };
}
