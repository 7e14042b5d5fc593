import * as path from "node:path";
import { checkoutRoot, COMPILED_DIR, runsCompiled } from "../../environments/checkout-root";
import { openAutomation } from "../automation/open-automation";
import type { BlobStore } from "../backend/blob-store";
import { openStores, type EnvironmentLocks } from "../backend/stores";
import type { BackendRecords } from "../engine/backend-records";
import type { StackConfigFiles } from "../engine/stack-config-files";
import type { StackEngine } from "../engine/stack-engine";
import type { ProgressJournals } from "../history/progress-journal";
import type { RunHistory } from "../history/store";
import type { EnvironmentHolds } from "../model/hold";

/** Where this checkout keeps its engine-facing pieces; one place so every command agrees. */
export interface Workspace {
  readonly root: string;
  readonly dataDir: string;
  readonly lockDir: string;
  readonly history: RunHistory;
  /** Environments held after a rollback. */
  readonly holds: EnvironmentHolds;
  /** Each run's progress journal, followed by the dashboard. */
  readonly progress: ProgressJournals;
  /** The environment lock: a lease in a shared backend, a file in `lockDir` with file://. */
  readonly locks: EnvironmentLocks;
  /** The shared backend's store for promotion checkpoints; undefined with file://. */
  readonly blobs?: BlobStore;
  /** The engine proper: prepare, run, diff, outputs. */
  readonly engine: StackEngine;
  /** The stacks' config files in this checkout. */
  readonly configFiles: StackConfigFiles;
  /** The state backend's records of the stacks, and their recovery. */
  readonly records: BackendRecords;
  readonly policyPack: string;
  /** Folder of environment files; the checkout's environments/ when unset. */
  readonly environmentsDir?: string;
}

export interface WorkspaceOptions {
  readonly backend?: string;
  readonly secretsProvider?: string;
}

export function openWorkspace(options: WorkspaceOptions = {}): Workspace {
  const root = process.env.PLATFORM_ROOT ?? checkoutRoot();
  const dataDir = process.env.PLATFORM_DATA ?? path.join(root, ".platform");
  const stores = openStores({ backendUrl: options.backend, dataDir });
  // The compiled CLI runs the compiled program (its stamp checked at start-up); ts-node runs the source's.
  const programDir = runsCompiled() ? path.join(root, COMPILED_DIR) : undefined;
  const { engine, configFiles, records } = openAutomation({ workDir: root, programDir, backendUrl: options.backend, secretsProvider: options.secretsProvider });
  return {
    root,
    dataDir,
    lockDir: path.join(dataDir, "locks"),
    history: stores.history,
    holds: stores.holds,
    progress: stores.progress,
    locks: stores.locks,
    ...(stores.blobs ? { blobs: stores.blobs } : {}),
    engine,
    configFiles,
    records,
    policyPack: path.join(root, "policy", "platform"),
  };
}
