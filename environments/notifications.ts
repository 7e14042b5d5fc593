/** What can be told, one name per event; environments choose with `notifications.events` (default: all). */
export const NOTIFICATION_EVENTS = [
  "run-failed",
  "run-recovered",
  "drift-found",
  "promotion-awaiting-approval",
  "promoted",
  "promotion-refused",
  "promotion-rolled-back",
  "break-glass",
  "environment-held",
] as const;

export type NotificationEventKind = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationSettings {
  /** Names of secret config keys (on `foundation-<env>`) holding Slack incoming-webhook URLs. */
  readonly slack: readonly string[];
  /** Names of secret config keys holding generic JSON webhook URLs. */
  readonly webhooks: readonly string[];
  /** Events to send; all when absent. */
  readonly events?: readonly NotificationEventKind[];
  /** Each destination's whole budget, retries included: a run waits at most this long for it. */
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** Where people open the report; messages give the report's path when absent. */
  readonly reportUrl?: string;
}
