import { isTimeoutError } from '../abort';
import { classifyErrcode } from '../errcodes';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomNetworkError,
  WecomTimeoutError,
} from '../errors';
import type { TokenOperationId } from '../events';
import { buildUrl, type HttpAnswer, type HttpSend, networkErrorCode, parseWecomAnswer } from '../http';
import { TOKEN_ENDPOINTS } from './issuer';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** One call to an endpoint that issues a token (gettoken, get_suite_token, get_corp_token, get_provider_token). */
export interface TokenRequest {
  send: HttpSend;
  baseUrl: string;
  /** The query besides the endpoint's path: gettoken's credentials, get_corp_token's suite token. */
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  operationId: TokenOperationId;
  /** The field of the answer that holds the token. */
  tokenField: string;
  /** What to change, per errcode that retrying cannot fix. */
  fixes: Readonly<Record<number, string>>;
  /** What to change for any other such errcode. */
  defaultFix: string;
  /**
   * get_suite_token, get_corp_token and get_provider_token may answer a success without `errcode`
   * (a historic quirk WeCom documents: no errcode means success).
   */
  successMayOmitErrcode?: boolean;
}

/**
 * Calls a token endpoint once. Errcodes that retrying cannot fix become a WecomConfigError saying
 * what to change; a busy WeCom, a network failure or a refused token (a suite token that
 * get_corp_token did not accept) is thrown as such, for the caller to handle.
 */
export async function requestToken(request: TokenRequest): Promise<IssuedToken> {
  const { operationId } = request;
  const { method, path } = TOKEN_ENDPOINTS[operationId];
  let answer: HttpAnswer;
  try {
    answer = await request.send({
      method,
      url: buildUrl(request.baseUrl, path, request.query),
      ...(request.body !== undefined && { body: request.body }),
      timeoutMs: request.timeoutMs,
    });
  } catch (error) {
    if (isTimeoutError(error)) {
      throw new WecomTimeoutError({
        operationId,
        timeoutMs: request.timeoutMs,
        scope: 'attempt',
        waitingFor: 'answer',
        cause: error,
      });
    }
    const code = networkErrorCode(error);
    throw new WecomNetworkError({ operationId, cause: error, ...(code !== undefined && { code }) });
  }
  const body = parseWecomAnswer(
    request.successMayOmitErrcode ? withImpliedErrcode(answer) : answer,
    operationId,
  );
  if (body.errcode === 0) {
    const { [request.tokenField]: accessToken, expires_in: expiresIn } = body;
    if (typeof accessToken !== 'string' || !accessToken || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new WecomHttpError({
        status: answer.status,
        body: '{"errcode":0,…}',
        reason: 'unexpected-body',
        operationId,
      });
    }
    return { accessToken, expiresInSeconds: expiresIn };
  }
  const errcodeClass = classifyErrcode(body.errcode);
  if ((errcodeClass === 'transient' && body.errcode !== 45009) || errcodeClass === 'token') {
    throw WecomError.fromBody(body, operationId);
  }
  const fix = request.fixes[body.errcode] ?? request.defaultFix;
  throw new WecomConfigError({
    operationId,
    errcode: body.errcode,
    message: `${operationId} failed with WeCom errcode ${body.errcode} ("${body.errmsg.split(', hint:')[0]}"): ${fix} Retrying will not help.`,
  });
}

/** The answer with `errcode: 0` added when a JSON object came without one. */
function withImpliedErrcode(answer: HttpAnswer): HttpAnswer {
  try {
    const parsed: unknown = JSON.parse(answer.text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !('errcode' in parsed)) {
      return { ...answer, text: JSON.stringify({ errcode: 0, errmsg: 'ok', ...parsed }) };
    }
  } catch {
    // parseWecomAnswer reports what is wrong with it.
  }
  return answer;
}
