import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** The metrics of the client, on the meter of the registered provider (guide 08 lists them). */
export interface Instruments {
  readonly duration: Histogram;
  readonly calls: Counter;
  readonly retries: Counter;
  readonly rateLimitWait: Histogram;
  readonly tokenRefreshes: Counter;
  readonly specDrift: Counter;
}

// WeCom answers in tens to hundreds of milliseconds; retries and queues stretch a call to seconds.
const CALL_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// Budget waits last up to rateLimit.maxQueueMs (120 s by default).
const WAIT_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120];

export function createInstruments(meter: Meter): Instruments {
  return {
    duration: meter.createHistogram('wecom.client.call.duration', {
      description: 'How long a WeCom call took, retries and waits included.',
      unit: 's',
      advice: { explicitBucketBoundaries: CALL_SECONDS },
    }),
    calls: meter.createCounter('wecom.client.calls', {
      description: 'WeCom calls, by operation and outcome.',
      unit: '{call}',
    }),
    retries: meter.createCounter('wecom.client.retries', {
      description: 'Attempts sent again, by reason.',
      unit: '{retry}',
    }),
    rateLimitWait: meter.createHistogram('wecom.client.rate_limit.wait', {
      description: 'How long a call waited for rate-limit budget or for a 45009 pause to end.',
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_SECONDS },
    }),
    tokenRefreshes: meter.createCounter('wecom.client.token.refreshes', {
      description:
        'Tokens fetched (gettoken, get_suite_token, get_corp_token, get_provider_token), by endpoint, reason and outcome.',
      unit: '{refresh}',
    }),
    specDrift: meter.createCounter('wecom.client.spec_drift', {
      description: 'Departures of success bodies from the spec (specCheck), each reported once per process.',
      unit: '{drift}',
    }),
  };
}
