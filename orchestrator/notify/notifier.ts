import type { NotificationSettings } from "../../environments/notifications";
import type { DeliveryEntry } from "../history/journal";
import type { JsonLines } from "../history/jsonl";
import { redactDeep } from "../history/redact";
import { deliver, idempotencyKey } from "./deliver";
import { resolveDestinations, type SecretLookup } from "./destinations";
import type { NotificationEvent } from "./events";
import { slackMessage, webhookMessage } from "./messages";

export interface NotifyContext {
  readonly settings: NotificationSettings | undefined;
  readonly lookup: SecretLookup;
  readonly deliveries: JsonLines<DeliveryEntry>;
  /** The report's link or path; called only when something is sent. */
  readonly reportLink: () => Promise<string>;
  readonly say: (line: string) => void;
}

/**
 * Sends each event the environment asks for to every destination, in parallel, each within its
 * timeout; records every delivery in history. Never throws: a failing webhook is noted, not fatal.
 */
export async function notify(events: readonly NotificationEvent[], context: NotifyContext): Promise<DeliveryEntry[]> {
  const settings = context.settings;
  if (!settings) return [];
  const wanted = events.filter((event) => !settings.events || settings.events.includes(event.kind));
  if (wanted.length === 0 || settings.slack.length + settings.webhooks.length === 0) return [];
  const { destinations, problems } = await resolveDestinations(wanted[0]!.env, settings, context.lookup);
  problems.forEach(context.say);
  if (destinations.length === 0) return [];
  const report = await context.reportLink().catch((error: Error) => `(report not written: ${error.message})`);
  const urls = destinations.map((d) => d.url);
  const sends = wanted.flatMap((event) =>
    destinations.map(async (destination): Promise<DeliveryEntry> => {
      const key = idempotencyKey(event.kind, event.subject, destination.name);
      // Payloads are built from history, which never holds a secret; the URLs are kept out as well.
      const body = redactDeep(destination.kind === "slack" ? slackMessage(event, report) : webhookMessage(event, report, key), urls);
      const result = await deliver(destination, body, key, { timeoutMs: settings.timeoutSeconds * 1000, retries: settings.retries });
      const entry: DeliveryEntry = { at: new Date().toISOString(), env: event.env, event: event.kind, destination: destination.name, idempotencyKey: key, subject: event.subject, ...result };
      context.deliveries.append(entry);
      context.say(
        result.delivered
          ? `notified ${destination.name}: ${event.kind}`
          : `notification ${event.kind} to ${destination.name} failed after ${result.attempts} attempt(s): ${result.error} (noted in history; the run is not affected)`,
      );
      return entry;
    }),
  );
  return Promise.all(sends);
}
