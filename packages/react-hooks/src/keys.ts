/**
 * Query keys for every WeCom operation, shaped as a hierarchy so that one prefix invalidates a
 * whole level: everything, one operation, or one operation with one input. Infinite queries
 * get their own branch because their cached data (pages) differs from a plain query's.
 */
export const wecomKeys = {
  all: ['wecom'] as const,
  operation: <Op extends string>(operationId: Op) => ['wecom', operationId] as const,
  query: <Op extends string, Input>(operationId: Op, input: Input) =>
    ['wecom', operationId, 'query', input] as const,
  infinite: <Op extends string, Input>(operationId: Op, input: Input) =>
    ['wecom', operationId, 'infinite', input] as const,
};
