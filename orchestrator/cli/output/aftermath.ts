import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironment, type LoadOptions } from "../../../environments/load";
import type { DriftReport } from "../../model/drift-report";
import { driftEntry, checkoutJournal, promotionEntry } from "../../history/journal";
import { stackSecretLookup } from "../../notify/destinations";
import { awaitingApprovalEvent, breakGlassEvent, driftEvents, holdEvent, promotionEvents, runEvents, type NotificationEvent } from "../../notify/events";
import { notify } from "../../notify/notifier";
import type { Hold } from "../../model/hold";
import type { PromotionReport } from "../../model/promotion-report";
import { readReportInputs } from "../../report/inputs";
import { buildReportModel } from "../../report/model";
import type { RunRecord } from "../../model/run-record";
import type { Workspace as FullWorkspace } from "../../workspace/workspace";

/** What these steps use of a workspace: files only, never the engine. */
export type Workspace = Pick<FullWorkspace, "root" | "dataDir" | "history"> & { readonly environments?: LoadOptions };

/**
 * What happens after a command finished: drift checks and promotions are journaled beside the
 * run history, and events go to the environment's notification destinations. Nothing here can
 * change a command's exit code: problems are printed on stderr.
 */
export async function afterRun(workspace: Workspace, record: RunRecord | undefined): Promise<void> {
  if (!record) return;
  const earlier = (await workspace.history.read({ env: record.env })).filter((r) => r.id !== record.id);
  const overridden = record.breakGlass ? [breakGlassEvent(record.env, record.id, record.operation, record.breakGlass, record.stacks.map((s) => s.stack.name), record.finishedAt)] : [];
  await send(workspace, record.env, [...overridden, ...runEvents(record, earlier)]);
}

/** `after` is the check after a remediation: journaled too, so the latest entry is the current state. */
export async function afterDrift(workspace: Workspace, report: DriftReport, after?: DriftReport): Promise<void> {
  guarded(() => [report, ...(after ? [after] : [])].forEach((r) => journal(workspace).drift.append(driftEntry(r))));
  await send(workspace, report.env, driftEvents(report));
}

export async function afterPromotion(workspace: Workspace, report: PromotionReport, changelog: string): Promise<void> {
  guarded(() => journal(workspace).promotions.append(promotionEntry(report, changelog)));
  const overridden = report.breakGlass ? [breakGlassEvent(report.target, report.id, `promotion from ${report.source}`, report.breakGlass)] : [];
  await send(workspace, report.target, [...overridden, ...promotionEvents(report), ...(report.hold ? [holdEvent(report.hold)] : [])]);
}

/** A hold placed by hand (`promote hold`): people are told, as for one a rollback placed. */
export async function afterHold(workspace: Workspace, hold: Hold): Promise<void> {
  await send(workspace, hold.env, [holdEvent(hold)]);
}

/** Tells the approvers before asking (on a terminal) or refusing (in CI without --approve). */
export function announcingApproval<T>(workspace: Workspace, source: string, target: string, approve: (summary: string) => Promise<T>, preapproved: boolean) {
  return async (summary: string): Promise<T> => {
    if (!preapproved) await send(workspace, target, [awaitingApprovalEvent(source, target, summary, `approval-${source}-${target}-${new Date().toISOString().slice(0, 16)}`)]);
    return approve(summary);
  };
}

const say = (line: string) => process.stderr.write(`${line}\n`);
const journal = (workspace: Workspace) => checkoutJournal(workspace.dataDir);

function guarded(work: () => void): void {
  try {
    work();
  } catch (error) {
    say(`could not record in history: ${(error as Error).message}`);
  }
}

async function send(workspace: Workspace, envName: string, events: readonly NotificationEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const env = loadEnvironment(envName, workspace.environments);
    await notify(events, {
      settings: env.notifications,
      lookup: stackSecretLookup(env.name, workspace.root),
      deliveries: journal(workspace).deliveries,
      reportLink: async () => env.notifications?.reportUrl ?? (await writeReport(workspace, env.name)),
      say,
    });
  } catch (error) {
    say(`notifications not sent: ${(error as Error).message}`);
  }
}

/** The environment's report at a fixed path, so a message can point at it. */
async function writeReport(workspace: Workspace, env: string): Promise<string> {
  const file = path.join(workspace.dataDir, "reports", `${env}.html`);
  const model = buildReportModel(await readReportInputs({ history: workspace.history, journal: journal(workspace), ...(workspace.environments ? { environments: workspace.environments } : {}) }, env), `environment ${env}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Loaded only when a report is written: its layout and chart libraries are large.
  const { buildReportHtml } = require("../../report/build") as typeof import("../../report/build");
  fs.writeFileSync(file, await buildReportHtml(model));
  return file;
}
