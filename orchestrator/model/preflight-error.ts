/** A problem found before any stack is touched; the run stops with exit code 3. */
export class PreflightError extends Error {
  override readonly name = "PreflightError";
}
