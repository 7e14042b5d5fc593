import type { ProgressWriter } from "../history/progress-journal";
import { redact, redactDeep } from "../history/redact";
import type { ProgressView } from "./progress";

/**
 * A progress view that also appends what it shows to the run's journal, secrets masked, so a
 * dashboard anywhere on the same backend follows the run as it goes.
 */
export function journaledView(view: ProgressView, journal: ProgressWriter, secrets: readonly string[], now: () => Date = () => new Date()): ProgressView {
  return {
    update(progress) {
      view.update(progress);
      journal.write({ kind: "stack", at: now().toISOString(), progress: redactDeep(progress, secrets) });
    },
    note(line) {
      view.note(line);
      journal.write({ kind: "note", at: now().toISOString(), line: redact(line, secrets) });
    },
    close: () => view.close(),
  };
}
