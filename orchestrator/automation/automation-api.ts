import type * as Automation from "@pulumi/pulumi/automation";

/** The Automation API, loaded on first use: it is heavy (the whole Pulumi SDK), and many commands never call the engine. */
export function automationApi(): typeof Automation {
  return require("@pulumi/pulumi/automation") as typeof Automation;
}
