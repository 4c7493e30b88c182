import { inspect } from 'node:util';

// Everything the suite's transports reported or threw, and every secret and token the fake
// servers handed out; the setup file checks after each test file that none of them leaked.
const observed: unknown[] = [];
const sensitive = new Set<string>();

export function rememberSensitive(value: string): void {
  sensitive.add(value);
}

export function observe(value: unknown): void {
  observed.push(value);
}

/** The rejection of `promise`, recorded for the audit; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    observe(error);
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Every string a person or a log could see of a value: inspect with hidden properties and causes, and JSON. */
export function exposedText(value: unknown): string {
  let serialized = '';
  try {
    serialized = JSON.stringify(value) ?? '';
  } catch {
    // Cyclic values are covered by inspect.
  }
  const stack = value instanceof Error ? (value.stack ?? '') : '';
  return `${inspect(value, { depth: 10, showHidden: true })}\n${serialized}\n${stack}`;
}

export function auditObserved(): { checked: number; leaks: string[] } {
  const leaks: string[] = [];
  for (const value of observed) {
    const textSeen = exposedText(value);
    for (const secret of sensitive) {
      if (textSeen.includes(secret)) leaks.push(`${secret.slice(0, 8)}… in ${textSeen.slice(0, 200)}`);
    }
  }
  return { checked: observed.length, leaks };
}
