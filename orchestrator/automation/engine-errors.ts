import type { EngineEvent } from "@pulumi/pulumi/automation";
import { automationApi } from "./automation-api";
import { TransientEngineError } from "../engine/errors";

// Engine failures that a second attempt can fix; anything else is the program's or the cloud's fault.
const TRANSIENT = [
  /Another update is currently in progress/i,
  /ECONNRESET|connection reset by peer/i,
  /context deadline exceeded|i\/o timeout/i,
  /TLS handshake timeout/i,
  /etcdserver: (request timed out|leader changed)/i,
  /the object has been modified; please apply your changes to the latest version/i,
  // A custom resource created just after the release that templates its CRD (Istio's base chart):
  // the API server may not serve the new kind yet; it does a few seconds later.
  /no matches for kind "[A-Za-z]+" in version/i,
];

export function isTransientMessage(message: string, extra: readonly RegExp[] = []): boolean {
  return [...TRANSIENT, ...extra].some((pattern) => pattern.test(message));
}

/**
 * Turns an Automation API error into one typed by retryability whose message leads with the
 * engine's first error (`lead`: the resource, its operation, the message) when the events gave
 * one; the CLI transcript, with its command line, goes to `detail` for history only.
 */
export function classifyEngineError(error: unknown, lead?: string): Error {
  const transcript = error instanceof Error ? error.message : String(error);
  const isTranscript = error instanceof automationApi().CommandError || /Command failed with exit code/.test(transcript);
  const message = lead ?? (isTranscript ? summarise(transcript) : transcript);
  const failure = isTransientMessage(transcript) || isTransientMessage(message) ? new TransientEngineError(message) : new Error(message);
  if (transcript !== message) Object.assign(failure, { detail: transcript.slice(0, 4000) });
  return failure;
}

/** "<name> (<type>): <op> failed: <message>" for a resource's error event, the message cut to its first lines. Pure. */
export function engineErrorLead(urn: string | undefined, op: string | undefined, message: string): string {
  const text = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/^error: update failed$/i.test(line))
    .slice(0, 3)
    .join(" ")
    .replace(/^error:\s*/i, "")
    .slice(0, 500);
  if (!urn) return text;
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop();
  return `${parts[3] ?? urn} (${type})${op ? ` ${op}` : ""} failed: ${text}`;
}

/** Keeps the engine's first error event, preferring one about a resource, and that resource's failed operation. */
export function firstErrorCollector(): { see(event: EngineEvent): void; lead(): string | undefined } {
  const failedOps = new Map<string, string>();
  let first: { urn?: string; message: string } | undefined;
  return {
    see(event) {
      if (event.resOpFailedEvent) failedOps.set(event.resOpFailedEvent.metadata.urn, event.resOpFailedEvent.metadata.op);
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === "error" && (!first || (!first.urn && diagnostic.urn))) first = { urn: diagnostic.urn, message: diagnostic.message };
    },
    lead: () => first && engineErrorLead(first.urn, first.urn ? failedOps.get(first.urn) : undefined, first.message),
  };
}

// The Automation API's own framing of a transcript, and the command line execa reports: never the lead.
const FRAMING = /^(stdout|stderr|err\?):\s*/;
const COMMAND_LINE = /^((Error: )?Command failed with exit code|code: -?\d+$)/;

/**
 * CommandError messages carry the whole CLI transcript, command line included; keep the engine's
 * own `error:` lines (without the closing "update failed"), else the other diagnostic lines. Pure.
 */
export function summarise(transcript: string): string {
  const lines = transcript
    .split("\n")
    .map((line) => line.trim().replace(FRAMING, "").trim())
    .filter((line) => line && !COMMAND_LINE.test(line));
  const engineErrors = lines.filter((line) => /^error:/.test(line) && !/^error: update failed$/i.test(line));
  const diagnostics = lines.filter((line) => /error:|failed|Exception|cannot|unable to/i.test(line));
  const chosen = engineErrors.length > 0 ? engineErrors : diagnostics.length > 0 ? diagnostics : lines;
  return [...new Set(chosen)].slice(0, 8).join(" | ").slice(0, 2000);
}
