import { isTimeoutError } from '../abort';
import { classifyErrcode } from '../errcodes';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomNetworkError,
  WecomTimeoutError,
} from '../errors';
import { buildUrl, type HttpAnswer, type HttpSend, networkErrorCode, parseWecomAnswer } from '../http';

export interface GetTokenRequest {
  send: HttpSend;
  baseUrl: string;
  corpId: string;
  corpSecret: string;
  timeoutMs: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

const OPERATION_ID = 'getToken';

const FIXES: Readonly<Record<number, string>> = {
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

/**
 * Calls gettoken once. Errcodes that retrying cannot fix become a WecomConfigError saying what to
 * change; a busy WeCom or a network failure is thrown as such, for the caller's retry policy.
 */
export async function requestAccessToken(request: GetTokenRequest): Promise<IssuedToken> {
  const url = buildUrl(request.baseUrl, '/cgi-bin/gettoken', {
    corpid: request.corpId,
    corpsecret: request.corpSecret,
  });
  let answer: HttpAnswer;
  try {
    answer = await request.send({ method: 'GET', url, timeoutMs: request.timeoutMs });
  } catch (error) {
    if (isTimeoutError(error)) {
      throw new WecomTimeoutError({
        operationId: OPERATION_ID,
        timeoutMs: request.timeoutMs,
        scope: 'attempt',
        waitingFor: 'answer',
        cause: error,
      });
    }
    const code = networkErrorCode(error);
    throw new WecomNetworkError({
      operationId: OPERATION_ID,
      cause: error,
      ...(code !== undefined && { code }),
    });
  }
  const body = parseWecomAnswer(answer, OPERATION_ID);
  if (body.errcode === 0) {
    const { access_token: accessToken, expires_in: expiresIn } = body;
    if (typeof accessToken !== 'string' || !accessToken || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new WecomHttpError({
        status: answer.status,
        body: '{"errcode":0,…}',
        reason: 'unexpected-body',
        operationId: OPERATION_ID,
      });
    }
    return { accessToken, expiresInSeconds: expiresIn };
  }
  if (classifyErrcode(body.errcode) === 'transient' && body.errcode !== 45009) {
    throw WecomError.fromBody(body, OPERATION_ID);
  }
  const fix = FIXES[body.errcode] ?? 'check corpId and corpSecret.';
  throw new WecomConfigError({
    operationId: OPERATION_ID,
    errcode: body.errcode,
    message: `getToken failed with WeCom errcode ${body.errcode} ("${body.errmsg.split(', hint:')[0]}"): ${fix} Retrying will not help.`,
  });
}
