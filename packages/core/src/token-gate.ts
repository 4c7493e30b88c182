import type { AttemptContext, AttemptGate, AttemptResult } from './attempt';
import { startPhase } from './attempt';
import { isTokenRejection } from './errcodes';
import { WecomConfigError, WecomKitError, WecomNetworkError } from './errors';
import type { TokenSource } from './token/store';

/** The gate that puts a valid access token in the context of each attempt. */
export interface TokenGate extends AttemptGate {
  readonly tokens: TokenSource;
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

  return {
    tokens,
    async pass(context, next) {
      // Most calls find a valid token at hand, and skip getToken's promise and timer.
      const token = tokens.peekToken?.() ?? (await fetchToken(context));
      if (typeof token !== 'string') return token;
      const result = await next({ ...context, token });
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
      return typeof fresh === 'string' ? next({ ...context, token: fresh }) : fresh;
    },
  };
}
