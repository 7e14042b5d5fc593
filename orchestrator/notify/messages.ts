import type { NotificationEvent } from "./events";

const TITLES: Readonly<Record<NotificationEvent["kind"], string>> = {
  "run-failed": "Run failed",
  "run-recovered": "Recovered",
  "drift-found": "Drift found",
  "promotion-awaiting-approval": "Promotion awaits approval",
  promoted: "Promoted",
  "promotion-refused": "Promotion refused",
  "promotion-rolled-back": "Promotion rolled back",
  "break-glass": "Change window overridden",
  "environment-held": "Environment held",
};

const ICONS: Readonly<Record<NotificationEvent["kind"], string>> = {
  "run-failed": ":red_circle:",
  "run-recovered": ":large_green_circle:",
  "drift-found": ":large_orange_circle:",
  "promotion-awaiting-approval": ":hourglass:",
  promoted: ":white_check_mark:",
  "promotion-refused": ":no_entry:",
  "promotion-rolled-back": ":rewind:",
  "break-glass": ":rotating_light:",
  "environment-held": ":octagonal_sign:",
};

/** Slack's incoming-webhook body: a plain `text` fallback and the same as blocks. Pure. */
export function slackMessage(event: NotificationEvent, report: string): object {
  const headline = `${ICONS[event.kind]} *${TITLES[event.kind]}* in \`${event.env}\`: ${event.result}`;
  const details = [event.stacks.length ? `*Stacks:* ${event.stacks.join(", ")}` : "", `*Reason:* ${event.reason}`, `*Report:* ${report}`].filter(Boolean).join("\n");
  return {
    text: `${TITLES[event.kind]} in ${event.env}: ${event.result}. ${event.reason} Report: ${report}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${headline}\n${details}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `${event.subject} · ${event.at}` }] },
    ],
  };
}

/** The generic JSON webhook body, versioned so receivers can check what they parse. Pure. */
export function webhookMessage(event: NotificationEvent, report: string, idempotencyKey: string): object {
  return {
    schema: "platform-orchestrator/notification/v1",
    event: event.kind,
    title: TITLES[event.kind],
    env: event.env,
    result: event.result,
    stacks: event.stacks,
    reason: event.reason,
    report,
    subject: event.subject,
    at: event.at,
    idempotencyKey,
  };
}
