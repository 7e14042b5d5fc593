import { stackName, type LayerName } from "../../environments/layers";

/** What the orchestrator asks the engine to do with a stack. */
export type Operation = "up" | "preview" | "refresh" | "destroy";

/** The operations that run the stack program against new config: they need its secrets, charts and policies. */
export function runsProgram(operation: Operation): operation is "up" | "preview" {
  return operation === "up" || operation === "preview";
}

export interface StackId {
  readonly layer: LayerName;
  readonly env: string;
  /** `<layer>-<env>` */
  readonly name: string;
}

export function stackId(layer: LayerName, env: string): StackId {
  return { layer, env, name: stackName(layer, env) };
}

/** The id of a stack named `<layer>-<env>`. */
export function stackIdOf(name: string, env: string): StackId {
  return stackId(name.slice(0, name.length - env.length - 1) as LayerName, env);
}

/**
 * What the backend's stack listing says of a stack's state. The engine stamps the state with the
 * time of every write, so an unchanged marker means no run has written the state since.
 */
export interface StateMarker {
  readonly lastUpdate: string;
  readonly resourceCount: number;
}
