import {
  type AttemptContext,
  type AttemptGate,
  type AttemptResult,
  type PhaseTimer,
  startPhase,
} from './attempt';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomTimeoutError,
} from './errors';
import type { TokenSource } from './token/store';

/** The gate that puts a valid access token in the context of each attempt. */
export interface TokenGate extends AttemptGate {
  readonly tokens: TokenSource;
}

/**
 * Fetching the token counts against the attempt's timeout; when it fails, the attempt fails
 * unsent, with the failure classified like a business call's so the same retry rules apply.
 */
export function createTokenGate(tokens: TokenSource): TokenGate {
  return {
    tokens,
    async pass(context, send) {
      const cached = tokens.peekToken?.();
      if (cached !== undefined) return send({ ...context, token: cached });
      const phase = startPhase(context);
      let token: string;
      try {
        token = await tokens.getToken({ signal: phase.signal });
      } catch (error) {
        return failureBeforeSending(error, context, phase);
      } finally {
        phase.end();
      }
      return send({ ...context, token });
    },
  };
}

function failureBeforeSending(error: unknown, context: AttemptContext, phase: PhaseTimer): AttemptResult {
  if (context.callerSignal?.aborted) throw context.callerSignal.reason;
  if (error instanceof WecomConfigError) throw error;
  if (phase.timedOut())
    return { kind: 'failure', failure: { kind: 'timeout', sent: false }, error: phase.error('token', error) };
  if (error instanceof WecomError)
    return { kind: 'failure', failure: { kind: 'errcode', errcode: error.errcode, sent: false }, error };
  if (error instanceof WecomHttpError) {
    return {
      kind: 'failure',
      failure: { kind: 'http', status: error.status, unreadable: error.reason !== 'status', sent: false },
      error,
    };
  }
  if (error instanceof WecomTimeoutError)
    return { kind: 'failure', failure: { kind: 'timeout', sent: false }, error };
  const wrapped =
    error instanceof WecomKitError ? error : new WecomNetworkError({ operationId: 'getToken', cause: error });
  return { kind: 'failure', failure: { kind: 'network', sent: false }, error: wrapped };
}
