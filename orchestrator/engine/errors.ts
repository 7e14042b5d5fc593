/** Engine failures worth retrying (a concurrent-update conflict, a dropped connection). */
export class TransientEngineError extends Error {
  override readonly name = "TransientEngineError";
}

/** A mandatory policy stopped the operation; `violations` are "<policy>: <message>" lines. */
export class PolicyViolationError extends Error {
  override readonly name = "PolicyViolationError";
  constructor(readonly violations: readonly string[]) {
    super(`policy violations: ${violations.join("; ")}`);
  }
}
