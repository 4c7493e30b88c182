import { describe, expect, it } from 'vitest';
import { createEventSink, type WecomEvent } from './events';
import { REDACTED, registerSensitiveValue } from './redact';

describe('createEventSink', () => {
  it('hands the listener a redacted copy', () => {
    registerSensitiveValue('event-token-0123456');
    const received: WecomEvent[] = [];
    const emit = createEventSink((event) => received.push(event));
    emit({
      type: 'redis-fallback',
      phase: 'enter',
      error: 'GET wecom:token failed near event-token-0123456',
    });
    expect(received).toEqual([
      { type: 'redis-fallback', phase: 'enter', error: `GET wecom:token failed near ${REDACTED}` },
    ]);
  });

  it('swallows what a listener throws', () => {
    const emit = createEventSink(() => {
      throw new Error('listener bug');
    });
    expect(() => emit({ type: 'redis-fallback', phase: 'exit' })).not.toThrow();
  });
});
