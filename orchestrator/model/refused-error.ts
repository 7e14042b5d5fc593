/** A gate refused the run before anything changed (a change window, a hold, a budget); exit code 5. */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
}
