import { startTimer } from './abort';
import type { AttemptContext, AttemptGate, AttemptResult } from './attempt';
import { WecomTimeoutError } from './errors';
import { type LimiterKey, LimiterPausedError, type RateLimiter, type RateLimitOptions } from './limiter';

/**
 * Sends an attempt only once the limiter admits it, and pauses the operation when WeCom answers
 * 45009 anyway. Waiting for budget is pacing, not failure: it is bounded by `maxQueueMs` and
 * extends the call's deadline by as long as it lasted. A 45009 pause is WeCom refusing the
 * operation: the result says how long it lasts (`retryAfterMs`), and a call that cannot wait it
 * out within its deadline fails at once instead.
 */
export function createLimitGate(
  limiter: RateLimiter,
  options: Omit<RateLimitOptions, 'limiter'>,
  scope: string,
): AttemptGate {
  const keyOf = (context: AttemptContext): LimiterKey => ({
    scope,
    operationId: context.op.operationId,
    perMinute: context.op.rateLimitPerMinute ?? options.perMinute,
    concurrency: options.concurrency,
  });

  /** Waits for admission; resolves to undefined once admitted, or to the failure that ends the attempt unsent. */
  async function waitInQueue(context: AttemptContext, key: LimiterKey): Promise<AttemptResult | undefined> {
    const queue = startTimer(
      options.maxQueueMs,
      context.callerSignal,
      'The wait for rate-limit budget',
      context.clock,
    );
    try {
      const admission = await limiter.acquire(key, queue.signal, { giveUpAfter: context.deadline.at });
      context.deadline.extend(admission.waitedMs);
      if (admission.heldBy) {
        context.emit({
          type: 'rate-limited',
          operationId: context.op.operationId,
          attempt: context.attempt,
          waitMs: admission.waitedMs,
          // A pause comes from WeCom's own 45009 answer to an earlier call.
          reason: admission.heldBy === 'paused' ? 'server' : admission.heldBy,
        });
      }
      return undefined;
    } catch (error) {
      if (context.callerSignal?.aborted) throw context.callerSignal.reason;
      // Waiting out a 45009 pause that ends after the deadline would only delay the same failure.
      if (error instanceof LimiterPausedError) throw pausedPastDeadline(context, error);
      return { kind: 'failure', error: queueTimeout(context, options.maxQueueMs, error), sent: false };
    } finally {
      queue.end();
    }
  }

  return {
    async pass(context, next) {
      const key = keyOf(context);
      // Most calls find budget at once, and skip the queue's promise and timer.
      if (!limiter.tryAcquire?.(key)) {
        const refused = await waitInQueue(context, key);
        if (refused) return refused;
      }
      try {
        const result = await next(context);
        if (result.kind !== 'answer' || result.body.errcode !== 45009) return result;
        // Paused before the slot is released, so that no queued call slips into WeCom's block.
        const retryAfterMs = limiter.pause(key, options.pauseAfterRateLimitMs) - context.clock.now();
        context.emit({
          type: 'rate-limited',
          operationId: context.op.operationId,
          attempt: context.attempt,
          waitMs: options.pauseAfterRateLimitMs,
          reason: 'server',
          errcode: 45009,
        });
        return { ...result, retryAfterMs };
      } finally {
        limiter.release(key);
      }
    },
  };
}

function queueTimeout(context: AttemptContext, maxQueueMs: number, cause: unknown): WecomTimeoutError {
  const { operationId } = context.op;
  return new WecomTimeoutError({
    operationId,
    timeoutMs: maxQueueMs,
    scope: 'attempt',
    waitingFor: 'rate limit',
    message:
      `${operationId} was not sent: it waited ${maxQueueMs} ms (option rateLimit.maxQueueMs) for rate-limit budget. ` +
      'Send fewer calls at once, or raise rateLimit.maxQueueMs for bulk jobs.',
    cause,
  });
}

function pausedPastDeadline(context: AttemptContext, paused: LimiterPausedError): WecomTimeoutError {
  const { operationId } = context.op;
  return new WecomTimeoutError({
    operationId,
    timeoutMs: context.deadline.ms,
    scope: 'deadline',
    waitingFor: 'rate limit',
    message:
      `${operationId} was not sent: WeCom answered 45009 (rate limited), so the operation is paused until ` +
      `${new Date(paused.resumesAt).toISOString()} (${paused.pausedBy}), after this call's deadline. Retry after the pause.`,
  });
}
