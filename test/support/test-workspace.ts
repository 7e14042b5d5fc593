import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStores } from "../../orchestrator/backend/stores";
import type { Workspace } from "../../orchestrator/workspace/workspace";
import { FakeEngine } from "./fake-engine";

const REPO = path.resolve(__dirname, "../..");

/** A workspace over environment files of the test's choosing, a fake engine and a throwaway data directory, recording what it touches. */
export interface TestWorkspace extends Workspace {
  /** Methods of the engine, config files and records called, in order. */
  readonly engineCalls: readonly string[];
  /** Files written under the data directory (locks, history, promotions), relative to it. */
  touched(): string[];
  dispose(): void;
}

export function testWorkspace(environmentsDir: string, engine: FakeEngine = new FakeEngine()): TestWorkspace {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "workspace-"));
  const engineCalls: string[] = [];
  const recording = <T extends object>(object: T): T =>
    new Proxy(object, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          engineCalls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const stores = openStores({ dataDir, env: {} });
  return {
    root: REPO,
    dataDir,
    lockDir: path.join(dataDir, "locks"),
    history: stores.history,
    holds: stores.holds,
    progress: stores.progress,
    locks: stores.locks,
    engine: recording(engine),
    configFiles: recording(engine.configFiles),
    records: recording(engine.records),
    policyPack: path.join(REPO, "policy", "platform"),
    environmentsDir,
    engineCalls,
    touched: () => listFiles(dataDir).map((file) => path.relative(dataDir, file)),
    dispose: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** For a mocha suite: a new fake engine and workspace before each test, disposed after it; read them through the returned object. */
export function workspacePerTest(environmentsDir: string): { readonly engine: FakeEngine; readonly workspace: TestWorkspace } {
  const current = {} as { engine: FakeEngine; workspace: TestWorkspace };
  beforeEach(() => {
    current.engine = new FakeEngine();
    current.workspace = testWorkspace(environmentsDir, current.engine);
  });
  afterEach(() => current.workspace.dispose());
  return current;
}
