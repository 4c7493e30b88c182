import { WecomConfigError, WecomError } from '../errors';
import { registerSensitiveValue } from '../redact';
import { secretFingerprint } from './cache-key';
import type { TokenIssuer } from './issuer';
import { requestToken } from './request';
import type { TokenSource } from './store';
import { SUITE_TICKET_TTL_MS, type SuiteTicketStore } from './suite-tickets';

// The tokens of a service provider (服务商): a third-party suite's token, the corp tokens it gets
// for each authorizing corp, and the provider's own token.

const PROVIDER_IP_FIX =
  "this server's IP is not in the service provider's IP allowlist (服务商管理后台 › IP白名单): add it there.";

export interface SuiteCredentials {
  suiteId: string;
  suiteSecret: string;
  /** Where the command callback stores the suite_ticket WeCom pushes every 10 minutes. */
  tickets: SuiteTicketStore;
}

/** get_suite_token: the suite_access_token of a third-party app, from its id, secret and latest ticket. */
export function suiteTokenIssuer({ suiteId, suiteSecret, tickets }: SuiteCredentials): TokenIssuer {
  const issuer: TokenIssuer = {
    kind: 'suite',
    operationId: 'getSuiteToken',
    cacheKey: async () => `wecom:suite-token:${suiteId}:${await secretFingerprint(suiteSecret)}`,
    async issue({ send, baseUrl, timeoutMs }) {
      const ticket = await tickets.get(suiteId);
      if (!ticket) {
        throw new WecomConfigError({
          operationId: 'getSuiteToken',
          message:
            `No suite_ticket is stored for suite ${suiteId}, so no suite token can be requested. WeCom pushes one to ` +
            "the suite's command callback URL every 10 minutes: mount createCallbackHandler there with the same " +
            '`suiteTickets` store (a Redis one when another process receives the callbacks), wait for the first push ' +
            "or press 刷新Ticket in the suite's 回调配置, or store a ticket yourself with tickets.set(suiteId, ticket).",
        });
      }
      registerSensitiveValue(ticket, { expiresAt: Date.now() + SUITE_TICKET_TTL_MS });
      return requestToken({
        send,
        baseUrl,
        body: { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket },
        timeoutMs,
        operationId: 'getSuiteToken',
        tokenField: 'suite_access_token',
        fixes: {
          40083:
            "suiteId was refused: copy the suite's SuiteID (服务商管理后台 › 应用管理 › the app) into suiteId.",
          40085:
            'the stored suite_ticket was refused (WeCom accepts a ticket for 30 minutes): check that the command ' +
            'callback URL is reachable and stores the tickets it receives for this suite id.',
          60020: PROVIDER_IP_FIX,
        },
        defaultFix: "check suiteId and suiteSecret (the suite's Secret in 服务商管理后台 › 应用管理).",
        successMayOmitErrcode: true,
      });
    },
  };
  registerSensitiveValue(suiteSecret, { owner: issuer });
  return issuer;
}

export interface ThirdPartyCorpCredentials {
  suiteId: string;
  /** The suite's token source, shared by every corp of the suite. */
  suite: TokenSource;
  /** The authorizing corp's id (auth_corp_info.corpid). */
  authCorpId: string;
  /** The permanent code get_permanent_code returned for that corp. */
  permanentCode: string;
}

/**
 * get_corp_token: the access token of an authorizing corp, asked for with the suite's token. When
 * WeCom refuses the suite token, exactly that suite token is dropped and the request is made once
 * more with a fresh one; the corp tokens of the suite are not touched.
 */
export function thirdPartyCorpTokenIssuer({
  suiteId,
  suite,
  authCorpId,
  permanentCode,
}: ThirdPartyCorpCredentials): TokenIssuer {
  const issuer: TokenIssuer = {
    kind: 'access',
    operationId: 'getCorpToken',
    cacheKey: async () =>
      `wecom:corp-token:${suiteId}:${authCorpId}:${await secretFingerprint(permanentCode)}`,
    async issue({ send, baseUrl, timeoutMs }) {
      for (let attempt = 1; ; attempt += 1) {
        const suiteToken = await suite.getToken();
        try {
          return await requestToken({
            send,
            baseUrl,
            query: { suite_access_token: suiteToken },
            body: { auth_corpid: authCorpId, permanent_code: permanentCode },
            timeoutMs,
            operationId: 'getCorpToken',
            tokenField: 'access_token',
            fixes: {
              40084:
                'the permanent code was refused: the corp cancelled the authorization (cancel_auth), the code was ' +
                'reset (reset_permanent_code) or it belongs to another suite. Use the current code of authCorpId.',
              40013: "authCorpId was refused: pass the authorizing corp's id (auth_corp_info.corpid).",
              48002:
                'a customized app (代开发) gets its corp token through gettoken, not get_corp_token: use ' +
                'customizedApp({ corpId, permanentCode }) for it.',
              60020: PROVIDER_IP_FIX,
            },
            defaultFix: 'check authCorpId and the permanent code.',
            successMayOmitErrcode: true,
          });
        } catch (error) {
          if (attempt > 1 || !(error instanceof WecomError) || error.category !== 'token') throw error;
          await suite.invalidate(suiteToken);
        }
      }
    },
  };
  registerSensitiveValue(permanentCode, { owner: issuer });
  return issuer;
}

export interface ProviderCredentials {
  /** The service provider's own corp id (服务商的corpid). */
  corpId: string;
  /** The provider Secret (服务商管理后台 › 服务商信息 › 基本信息). */
  providerSecret: string;
}

/** get_provider_token: the provider_access_token of a service provider. */
export function providerTokenIssuer({ corpId, providerSecret }: ProviderCredentials): TokenIssuer {
  const issuer: TokenIssuer = {
    kind: 'provider',
    operationId: 'getProviderToken',
    cacheKey: async () => `wecom:provider-token:${corpId}:${await secretFingerprint(providerSecret)}`,
    issue: ({ send, baseUrl, timeoutMs }) =>
      requestToken({
        send,
        baseUrl,
        body: { corpid: corpId, provider_secret: providerSecret },
        timeoutMs,
        operationId: 'getProviderToken',
        tokenField: 'provider_access_token',
        fixes: {
          40013: "corpId was refused: pass the service provider's own corp id (服务商的corpid).",
          60020: PROVIDER_IP_FIX,
        },
        defaultFix: 'check corpId and providerSecret (服务商管理后台 › 服务商信息 › 基本信息 › Secret).',
        successMayOmitErrcode: true,
      }),
  };
  registerSensitiveValue(providerSecret, { owner: issuer });
  return issuer;
}
