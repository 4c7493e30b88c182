import type { OperationId } from '@wecom-kit/client';

/** Which token a service-provider operation takes; `none` for the token fetches. */
export type ServiceTokenKind = 'none' | 'suite' | 'provider';

/**
 * The service-provider operations and their token, as the spec's `security` declares them (a test
 * compares the two). The generated operation table does not carry the token kind yet.
 */
export const serviceOperations = {
  getSuiteToken: 'none',
  getProviderToken: 'none',
  getPermanentCode: 'suite',
  getAuthInfo: 'suite',
  getCorpToken: 'suite',
  unionidToExternalUserid3rd: 'suite',
  corpidToOpencorpid: 'provider',
  finishExternalUseridMigration: 'provider',
} as const satisfies Partial<Record<OperationId, ServiceTokenKind>>;

export type ServiceOperationId = keyof typeof serviceOperations;

/** The query parameter each kind of token travels in. */
export const TOKEN_PARAMETER = { suite: 'suite_access_token', provider: 'provider_access_token' } as const;

/** WeCom answers these three without `errcode` on success (a historic quirk their pages note). */
export const ANSWERED_WITHOUT_ERRCODE: ReadonlySet<string> = new Set<ServiceOperationId>([
  'getSuiteToken',
  'getCorpToken',
  'getProviderToken',
]);

export function serviceTokenOf(operationId: string): ServiceTokenKind | undefined {
  return Object.hasOwn(serviceOperations, operationId)
    ? serviceOperations[operationId as ServiceOperationId]
    : undefined;
}
