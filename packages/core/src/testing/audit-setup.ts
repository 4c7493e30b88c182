import { afterAll, expect } from 'vitest';
import { auditObserved } from './audit';

afterAll(() => {
  const { leaks } = auditObserved();
  expect(leaks, 'a secret or token leaked into an error or event').toEqual([]);
});
