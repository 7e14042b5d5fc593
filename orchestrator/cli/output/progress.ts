import type { ChangeCounts } from "../../model/changes";
import type { StackState } from "../../model/run-record";
import type { ProgressView, StackProgress } from "../../run/progress";

/** Chooses the display: a live table on a terminal, one line per change in CI or a pipe, nothing for --json. */
export function progressDisplay(stream: NodeJS.WriteStream, options: { json: boolean; ci: boolean }): ProgressView {
  if (options.json) return { update() {}, note() {}, close() {} };
  return stream.isTTY && !options.ci ? new LiveTable(stream) : new PlainLines(stream);
}

const ICON: Readonly<Record<StackState, string>> = {
  pending: "·",
  running: "▶",
  succeeded: "✔",
  failed: "✖",
  skipped: "↷",
  unchanged: "=",
};

export function formatChanges(changes: ChangeCounts | undefined): string {
  if (!changes) return "";
  const shown = Object.entries(changes).filter(([kind, count]) => kind !== "same" && count > 0);
  return shown.length === 0 ? "no changes" : shown.map(([kind, count]) => `${count} ${kind}`).join(", ");
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)}s` : `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}

function describe(progress: StackProgress): string {
  const parts = [formatDuration(progress.elapsedMs)];
  if (progress.resourcesDone > 0) parts.push(`${progress.resourcesDone} resources`);
  const changes = formatChanges(progress.changes);
  if (changes) parts.push(changes);
  if (progress.detail) parts.push(progress.detail);
  return parts.join(" · ");
}

class PlainLines implements ProgressView {
  private readonly lastState = new Map<string, StackState>();
  constructor(private readonly stream: NodeJS.WriteStream) {}
  update(progress: StackProgress): void {
    if (this.lastState.get(progress.stack) === progress.state) return;
    this.lastState.set(progress.stack, progress.state);
    this.stream.write(`${ICON[progress.state]} ${progress.stack} ${progress.state} (${describe(progress)})\n`);
  }
  note(line: string): void {
    this.stream.write(`${line}\n`);
  }
  close(): void {}
}

class LiveTable implements ProgressView {
  private readonly rows = new Map<string, StackProgress>();
  private readonly startedAt = new Map<string, number>();
  private drawnLines = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.timer = setInterval(() => this.draw(), 250);
  }
  update(progress: StackProgress): void {
    if (progress.state === "running" && !this.startedAt.has(progress.stack)) this.startedAt.set(progress.stack, Date.now() - progress.elapsedMs);
    this.rows.set(progress.stack, progress);
    this.draw();
  }
  note(line: string): void {
    this.erase();
    this.stream.write(`${line}\n`);
    this.draw();
  }
  close(): void {
    clearInterval(this.timer);
    this.draw();
  }
  private erase(): void {
    if (this.drawnLines > 0) this.stream.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }
  private draw(): void {
    this.erase();
    const width = Math.max(...[...this.rows.keys()].map((name) => name.length), 5);
    const lines = [...this.rows.values()].map((row) => {
      const started = this.startedAt.get(row.stack);
      const live = row.state === "running" && started !== undefined ? { ...row, elapsedMs: Date.now() - started } : row;
      return `${ICON[row.state]} ${row.stack.padEnd(width)}  ${row.state.padEnd(9)} ${describe(live)}`;
    });
    if (lines.length > 0) this.stream.write(`${lines.join("\n")}\n`);
    this.drawnLines = lines.length;
  }
}
