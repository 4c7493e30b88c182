/** A mistake in the spec that the generator cannot work around; its message says how to fix it. */
export class CodegenError extends Error {
  override name = 'CodegenError';
}
