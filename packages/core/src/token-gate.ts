import type { AttemptContext, AttemptGate, AttemptResult } from './attempt';
import { startPhase } from './attempt';
import { isTokenRejection } from './errcodes';
import { WecomConfigError, WecomKitError, WecomNetworkError } from './errors';
import type { OperationMeta } from './operation';
import type { TokenKind, TokenSource } from './token/store';

/** The gate that puts a valid access token in the context of each attempt. */
export interface TokenGate extends AttemptGate {
  readonly tokens: TokenSource;
}

const PARAMETER: Readonly<Record<TokenKind, string>> = {
  access: 'access_token',
  suite: 'suite_access_token',
  provider: 'provider_access_token',
};

// Where a client gets each kind of token, for the error that names the right source.
const SOURCE: Readonly<Record<TokenKind, string>> = {
  access:
    "a corp's access token: a client with corpId and corpSecret, auth: customizedApp(...) or auth: suite.corp(...)",
  suite: 'the suite token: a client with auth: suite (the Suite of createSuite)',
  provider: 'the provider token: a client with auth: serviceProvider({ corpId, providerSecret })',
};

/** Refuses, before anything is sent, an operation that needs a kind of token this client's source does not give. */
function requireKind(op: OperationMeta, kind: TokenKind): void {
  const needed = op.token ?? 'access';
  if (needed === 'none' || needed === kind) return;
  throw new WecomConfigError({
    operationId: op.operationId,
    message:
      `${op.operationId} is sent with a ${PARAMETER[needed]}, but this client's token source gives a ` +
      `${PARAMETER[kind]}. Call it on a client that holds ${SOURCE[needed]}.`,
  });
}

/**
 * Fetching the token counts against the attempt's timeout; when it fails, the attempt fails
 * unsent. When WeCom refuses the token it sent (40014, 42001, 40001), the gate drops that token
 * (compare-and-invalidate) and sends the call once more with a fresh one: the call was refused,
 * not applied. A second refusal stands.
 */
export function createTokenGate(tokens: TokenSource): TokenGate {
  /** A token for this attempt, or the failure that ends it unsent. */
  async function fetchToken(context: AttemptContext): Promise<string | AttemptResult> {
    const phase = startPhase(context);
    try {
      return await tokens.getToken({ signal: phase.signal });
    } catch (error) {
      if (context.callerSignal?.aborted) throw context.callerSignal.reason;
      if (error instanceof WecomConfigError) throw error;
      const failure = phase.timedOut()
        ? phase.error('token', error)
        : error instanceof WecomKitError
          ? error
          : new WecomNetworkError({ operationId: 'getToken', cause: error });
      return { kind: 'failure', error: failure, sent: false };
    } finally {
      phase.end();
    }
  }

  const kind = tokens.kind ?? 'access';
  const tokenParameter = PARAMETER[kind];
  return {
    tokens,
    async pass(context, next) {
      requireKind(context.op, kind);
      // Most calls find a valid token at hand, and skip getToken's promise and timer.
      const token = tokens.peekToken?.() ?? (await fetchToken(context));
      if (typeof token !== 'string') return token;
      const result = await next({ ...context, token, tokenParameter });
      if (result.kind !== 'answer' || !isTokenRejection(result.body.errcode)) return result;
      await tokens.invalidate(token);
      context.emit({
        type: 'retry',
        operationId: context.op.operationId,
        attempt: context.attempt,
        delayMs: 0,
        reason: 'token',
        errcode: result.body.errcode,
      });
      const fresh = await fetchToken(context);
      return typeof fresh === 'string' ? next({ ...context, token: fresh, tokenParameter }) : fresh;
    },
  };
}
