import * as pulumi from "@pulumi/pulumi";
import { loadEnvironment } from "../environments/load";
import { parseStackName } from "../environments/layers";
import { stackContext } from "./context";
import { STACK_PROGRAMS } from "./layers";

// The one Pulumi program of the project: the stack name `<layer>-<env>` says which layer to run
// with which environment, so `pulumi preview --stack ingress-dev` runs what the orchestrator runs.
const name = pulumi.getStack();
const parsed = parseStackName(name);
if (!parsed) {
  throw new Error(`stack "${name}" is not named <layer>-<env> (layers: foundation, ingress, observability, gitops, security, mesh, data)`);
}
const env = loadEnvironment(parsed.env);
if (!env.layers[parsed.layer].enabled) {
  throw new Error(`${env.file}: layer ${parsed.layer} is disabled in environment ${env.name}; enable layers.${parsed.layer}.enabled or destroy the stack`);
}
export = STACK_PROGRAMS[parsed.layer](stackContext(parsed.layer, env));
