import type { BackendRecords } from "../engine/backend-records";
import type { StackConfigFiles } from "../engine/stack-config-files";
import type { StackEngine } from "../engine/stack-engine";
import { AutomationEngine } from "./automation-engine";
import type { AutomationOptions } from "./automation-options";
import { AutomationWorkspace } from "./automation-workspace";
import { AutomationRecords } from "./backend-records";
import { ConfigFiles } from "./config-files";

export interface Automation {
  readonly engine: StackEngine;
  readonly configFiles: StackConfigFiles;
  readonly records: BackendRecords;
}

/** The Automation API behind the engine seams: one local program, many `<layer>-<env>` stacks, one workspace for all three. */
export function openAutomation(options: AutomationOptions): Automation {
  const shared = new AutomationWorkspace(options);
  return { engine: new AutomationEngine(shared), configFiles: new ConfigFiles(shared), records: new AutomationRecords(shared) };
}
