import { registerSensitiveValue } from '../redact';
import { tokenCacheKey } from './cache-key';
import type { TokenIssuer } from './issuer';
import { requestToken } from './request';

export interface GettokenCredentials {
  corpId: string;
  /** The app's Secret, or for a customized app (代开发) the permanent code of the authorizing corp. */
  secret: string;
  agentId?: string | number;
  /** 'permanentCode' words the errors for a customized app. Default 'corpSecret'. */
  secretName?: 'corpSecret' | 'permanentCode';
}

const CORP_SECRET_FIXES: Readonly<Record<number, string>> = {
  40001:
    'corpSecret was refused: it is wrong, belongs to another app, was reset, or the app is disabled. ' +
    "Copy the app's current Secret (admin console › 应用管理 › the app › Secret) into corpSecret.",
  40013: 'corpId was refused: copy the 企业ID (admin console › 我的企业 › 企业信息) into corpId.',
  40091:
    "corpSecret is not a secret of this corporation (it may be another corporation's): use the Secret of an app of corpId.",
  41002: 'corpId is empty: pass the 企业ID as corpId.',
  41004: 'corpSecret is empty: pass the Secret of the app as corpSecret.',
  45009:
    'gettoken is blocked for this IP, usually after repeated wrong secrets (the block lasts up to an hour). ' +
    'Fix corpSecret and make sure tokens are cached, then try again later.',
  48002:
    'this app may not call the customer-contact API: add it to 客户联系 › 可调用接口的应用 in the admin console.',
  50003: 'the app is disabled: enable it in the admin console.',
  60020:
    "this server's IP is not in the app's trusted IPs (企业可信IP): add it in the admin console (it applies after about a minute).",
};

// A customized app's "secret" is the permanent code the corp's authorization produced. (Codes
// not listed here read as for a corpSecret; no spread at module level, so bundlers can drop both.)
const PERMANENT_CODE_FIXES: Readonly<Record<number, string>> = {
  40001:
    'the permanent code was refused: the corp cancelled or re-authorized the customized app (a new code came ' +
    'with create_auth or reset_permanent_code), or it belongs to another corp. Use the current permanent code of corpId.',
  40013: "corpId was refused: pass the authorizing corp's id (auth_corp_info.corpid) as corpId.",
  40091: 'the permanent code is not one of corpId: pass the code that the authorization of corpId produced.',
  41004: 'the permanent code is empty: pass the one get_permanent_code returned for this corp.',
  60020:
    "this server's IP is not in the service provider's IP allowlist (服务商 › IP白名单): add it in the provider admin console.",
};

/**
 * The access token of a self-built app (corpId + Secret) or of a customized app (代开发: the
 * authorizing corp's id + the app's permanent code), both through gettoken.
 */
export function gettokenIssuer({ corpId, secret, agentId, secretName }: GettokenCredentials): TokenIssuer {
  const issuer: TokenIssuer = {
    kind: 'access',
    operationId: 'getToken',
    cacheKey: () => tokenCacheKey({ corpId, corpSecret: secret, ...(agentId !== undefined && { agentId }) }),
    issue: ({ send, baseUrl, timeoutMs }) =>
      requestToken({
        send,
        baseUrl,
        query: { corpid: corpId, corpsecret: secret },
        timeoutMs,
        operationId: 'getToken',
        tokenField: 'access_token',
        fixes:
          secretName === 'permanentCode'
            ? { ...CORP_SECRET_FIXES, ...PERMANENT_CODE_FIXES }
            : CORP_SECRET_FIXES,
        defaultFix:
          secretName === 'permanentCode'
            ? 'check corpId and the permanent code.'
            : 'check corpId and corpSecret.',
      }),
  };
  // Pinned for as long as the issuer (and so its client) lives.
  registerSensitiveValue(secret, { owner: issuer });
  return issuer;
}
