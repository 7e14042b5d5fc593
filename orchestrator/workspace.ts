import * as path from "node:path";
import { AutomationEngine } from "./automation/automation-engine";
import { HistoryStore } from "./history/store";

/** Where this checkout keeps its engine-facing pieces; one place so every command agrees. */
export interface Workspace {
  readonly root: string;
  readonly dataDir: string;
  readonly lockDir: string;
  readonly history: HistoryStore;
  readonly engine: AutomationEngine;
  readonly policyPack: string;
}

export interface WorkspaceOptions {
  readonly backend?: string;
  readonly secretsProvider?: string;
}

export function openWorkspace(options: WorkspaceOptions = {}): Workspace {
  const root = process.env.PLATFORM_ROOT ?? path.resolve(__dirname, "..");
  const dataDir = process.env.PLATFORM_DATA ?? path.join(root, ".platform");
  return {
    root,
    dataDir,
    lockDir: path.join(dataDir, "locks"),
    history: new HistoryStore(path.join(dataDir, "history", "runs.jsonl")),
    engine: new AutomationEngine({ workDir: root, backendUrl: options.backend, secretsProvider: options.secretsProvider }),
    policyPack: path.join(root, "policy", "platform"),
  };
}
