/** A business error the sandbox answers with (HTTP 200, errcode ≠ 0), as WeCom does. */
export class ApiError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidParameter = (text: string) => new ApiError(40058, `invalid parameter: ${text}`);
export const notFound = (what: string, errcode = 40058) => new ApiError(errcode, `${what} not found`);
