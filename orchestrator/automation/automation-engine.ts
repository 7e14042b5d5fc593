import type { ConfigMap, EngineEvent, OutputMap } from "@pulumi/pulumi/automation";
import type { ChangeCounts, ResourceChange } from "../model/changes";
import { runsProgram, type Operation, type StackId } from "../model/stack";
import type { DiffKind, OperationResult, RunOptions, StackConfig, StackEngine, StackOutputs } from "../engine/stack-engine";
import { PolicyViolationError } from "../engine/errors";
import type { AutomationWorkspace } from "./automation-workspace";
import { classifyEngineError, firstErrorCollector } from "./engine-errors";
import { policies } from "./policy-config";
import { resourceChanges, type PreviewStep } from "./preview-steps";

/** The Automation API behind the StackEngine seam: one local program, many `<layer>-<env>` stacks. */
export class AutomationEngine implements StackEngine {
  constructor(private readonly shared: AutomationWorkspace) {}

  async prepare(stack: StackId, config: StackConfig): Promise<void> {
    const wanted: ConfigMap = {};
    for (const [key, entry] of Object.entries(config)) wanted[key] = { value: entry.value, secret: entry.secret };
    await engineCall(async () => {
      const selected = await this.shared.stack(stack, { create: true });
      if (Object.keys(wanted).length > 0) await selected.setAllConfig(wanted);
    });
  }

  async run(operation: Operation, stack: StackId, options: RunOptions = {}): Promise<OperationResult> {
    const selected = await engineCall(() => this.shared.stack(stack, { create: runsProgram(operation) }));
    let resourcesDone = 0;
    const violations: string[] = [];
    const errors = firstErrorCollector();
    const onEvent = (event: EngineEvent) => {
      errors.see(event);
      const policy = event.policyEvent;
      if (policy?.enforcementLevel === "mandatory") {
        violations.push(`${policy.policyName}: ${policy.message.trim().split("\n").pop()} (${policy.resourceUrn?.split("::").pop() ?? "stack"})`);
      }
      if (event.resOutputsEvent || event.resOpFailedEvent) {
        resourcesDone += 1;
        options.onProgress?.({ stack, resourcesDone, message: event.resOutputsEvent?.metadata.urn.split("::").pop() });
      }
    };
    const common = { onEvent, signal: options.signal, color: "never" as const };
    try {
      switch (operation) {
        case "up": {
          const result = await selected.up({ ...common, refresh: options.refresh, ...policies(options.policyPacks, stack.env) });
          return { changes: counts(result.summary.resourceChanges), outputs: toOutputs(result.outputs) };
        }
        case "preview": {
          const result = await selected.preview({ ...common, refresh: options.refresh, ...policies(options.policyPacks, stack.env) });
          return { changes: counts(result.changeSummary) };
        }
        case "refresh": {
          const result = await selected.refresh(common);
          return { changes: counts(result.summary.resourceChanges) };
        }
        case "destroy": {
          const result = await selected.destroy({ ...common, refresh: options.refresh });
          return { changes: counts(result.summary.resourceChanges) };
        }
      }
    } catch (error) {
      if (violations.length > 0) throw new PolicyViolationError(violations);
      throw classifyEngineError(error, errors.lead());
    }
  }

  /** A refresh preview or a program preview; each previewed step carries its detailed diff, secrets masked. */
  async diff(kind: DiffKind, stack: StackId, options: { signal?: AbortSignal } = {}): Promise<ResourceChange[]> {
    const selected = await engineCall(() => this.shared.stack(stack, { create: false }));
    const steps: PreviewStep[] = [];
    const errors = firstErrorCollector();
    // A refresh's finding arrives with the step's outputs (the pre-event only announces "refresh");
    // a preview's diff arrives with the step itself.
    const onEvent = (event: EngineEvent) => {
      errors.see(event);
      const step = kind === "refresh" ? event.resOutputsEvent : event.resourcePreEvent;
      if (step) steps.push(step.metadata);
    };
    const common = { onEvent, signal: options.signal, color: "never" as const };
    try {
      await (kind === "refresh" ? selected.previewRefresh(common) : selected.preview(common));
    } catch (error) {
      throw classifyEngineError(error, errors.lead());
    }
    return resourceChanges(steps);
  }

  async outputs(stack: StackId): Promise<StackOutputs> {
    return toOutputs(await engineCall(async () => (await this.shared.stack(stack, { create: false })).outputs()));
  }
}

/** An engine call outside an operation's event stream: its failure leads with the engine's own error lines. */
async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyEngineError(error);
  }
}

function counts(changes: Readonly<Record<string, number>> | undefined): ChangeCounts {
  return { ...(changes ?? {}) };
}

function toOutputs(map: OutputMap): StackOutputs {
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, output] of Object.entries(map)) outputs[key] = { value: output.value, secret: output.secret };
  return outputs;
}
