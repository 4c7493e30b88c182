import { describe, expect, it } from 'vitest';
import { fidelityReport, operationIds } from './testing/fidelity';

// Runs after every other sandbox test file (see vitest.config.ts), over all the answers they received.
describe('spec fidelity', () => {
  const report = fidelityReport();

  it('every answer the tests received matches the spec exactly', () => {
    expect(report.violations).toEqual([]);
  });

  it.each(operationIds)('%s was exercised on its success path and an error path', (operationId) => {
    expect(report.success.has(operationId), `${operationId}: no successful call in the sandbox tests`).toBe(
      true,
    );
    expect(report.failure.has(operationId), `${operationId}: no failing call in the sandbox tests`).toBe(
      true,
    );
  });
});
