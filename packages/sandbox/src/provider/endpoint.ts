import { ApiError } from '../api-error';
import { ACCESS_TOKEN_ERRORS, SUITE_TOKEN_ERRORS } from '../tokens';
import { serviceHandlerFor } from './handlers';
import { type ServiceOperationId, type ServiceTokenKind, TOKEN_PARAMETER } from './operations';
import type { ProviderWorld } from './world';

/**
 * The token check of a service-provider operation: the suite or provider token it declares must
 * be live. Without the provider mode there is no suite and no provider, and the answers are the
 * ones WeCom gives to unknown credentials.
 */
export function checkServiceToken(
  world: ProviderWorld | undefined,
  kind: ServiceTokenKind,
  query: URLSearchParams,
): void {
  if (kind === 'none') return;
  const token = query.get(TOKEN_PARAMETER[kind]);
  if (world) {
    (kind === 'suite' ? world.suiteTokens : world.providerTokens).check(token);
    return;
  }
  const [errcode, errmsg] = (kind === 'suite' ? SUITE_TOKEN_ERRORS : ACCESS_TOKEN_ERRORS)[
    token ? 'invalid' : 'missing'
  ];
  throw new ApiError(errcode, errmsg);
}

/** Runs the operation's handler; without the provider mode the token fetches meet an unknown suite or provider. */
export function runServiceOperation(
  world: ProviderWorld | undefined,
  operationId: ServiceOperationId,
  input: Record<string, unknown>,
): object {
  if (!world) {
    throw operationId === 'getSuiteToken'
      ? new ApiError(40083, 'invalid suite_id: the sandbox runs without --provider')
      : new ApiError(40013, 'invalid corpid: the sandbox runs without --provider');
  }
  return serviceHandlerFor(operationId)({ input, world });
}
