import { describe, expect, it } from 'vitest';
import {
  type AttemptFailure,
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  RetryBudget,
  resolveRetryOptions,
  retryVerdict,
} from './retry';

describe('backoffDelay', () => {
  it('is full jitter: uniform between 0 and the capped exponential', () => {
    const options = DEFAULT_RETRY_OPTIONS;
    expect(backoffDelay(1, options, () => 0)).toBe(0);
    expect(backoffDelay(1, options, () => 0.999)).toBe(199);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(10, options, () => 0.999)).toBe(4_995);
  });
});

describe('resolveRetryOptions', () => {
  it('has the documented defaults and turns retries off with false', () => {
    expect(resolveRetryOptions(undefined)).toEqual({
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      deadlineMs: 30_000,
      budget: 10,
      budgetRefillPerSecond: 1,
    });
    expect(resolveRetryOptions(false).maxAttempts).toBe(1);
    expect(resolveRetryOptions({ maxAttempts: 2 }).baseDelayMs).toBe(200);
  });
});

describe('RetryBudget', () => {
  it('spends one token per retry, earns one per success and refills over time', () => {
    let now = 0;
    const budget = new RetryBudget(2, 1, () => now);
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
    budget.deposit();
    expect(budget.tryWithdraw()).toBe(true);
    now += 1_500;
    expect(budget.available).toBeCloseTo(1.5);
    now += 10_000;
    expect(budget.available).toBe(2);
  });
});

describe('retryVerdict', () => {
  const cases: [string, AttemptFailure, read: string, write: string][] = [
    ['-1 busy', { kind: 'errcode', errcode: -1 }, 'retry', 'final'],
    ['45009 frequency', { kind: 'errcode', errcode: 45009 }, 'retry', 'retry'],
    ['45033 concurrency', { kind: 'errcode', errcode: 45033 }, 'retry', 'retry'],
    ['6000 version conflict', { kind: 'errcode', errcode: 6000 }, 'retry', 'retry'],
    ['40058 bad parameter', { kind: 'errcode', errcode: 40058 }, 'final', 'final'],
    ['60020 untrusted IP', { kind: 'errcode', errcode: 60020 }, 'final', 'final'],
    ['unknown errcode', { kind: 'errcode', errcode: 99_999 }, 'final', 'final'],
    ['-1 from gettoken, before sending', { kind: 'errcode', errcode: -1, sent: false }, 'retry', 'retry'],
    ['HTTP 502', { kind: 'http', status: 502, unreadable: false }, 'retry', 'outcome-unknown'],
    ['HTTP 429 from a proxy', { kind: 'http', status: 429, unreadable: false }, 'retry', 'retry'],
    ['HTTP 404', { kind: 'http', status: 404, unreadable: false }, 'final', 'final'],
    ['unreadable 200', { kind: 'http', status: 200, unreadable: true }, 'retry', 'outcome-unknown'],
    ['connection refused', { kind: 'network', sent: false }, 'retry', 'retry'],
    ['reset after sending', { kind: 'network', sent: true }, 'retry', 'outcome-unknown'],
    ['timeout after sending', { kind: 'timeout', sent: true }, 'retry', 'outcome-unknown'],
    ['timeout before sending', { kind: 'timeout', sent: false }, 'retry', 'retry'],
    ['-1 a proxy already retried', { kind: 'errcode', errcode: -1, retried: true }, 'final', 'final'],
    [
      'HTTP 502 a proxy already retried',
      { kind: 'http', status: 502, unreadable: false, retried: true },
      'final',
      'outcome-unknown',
    ],
    [
      "a proxy's per-caller 429",
      { kind: 'http', status: 429, unreadable: false, retried: true },
      'final',
      'final',
    ],
  ];
  it.each(cases)('%s → read: %s, write: %s', (_name, failure, read, write) => {
    expect(retryVerdict(failure, true)).toBe(read);
    expect(retryVerdict(failure, false)).toBe(write);
  });
});
