import { WEEKDAYS, type ChangeWindows, type Freeze, type WeeklyWindow } from "../../environments/gates";

/** Whether a change may run now, and if not, which window forbids it and when changes open again. */
export type WindowVerdict =
  | { readonly allowed: true; readonly reason: string }
  | { readonly allowed: false; readonly window: string; readonly reason: string; readonly opensAt?: Date };

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", weekday: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in a zone at an instant, as Intl (and so the IANA database, DST included) says it. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday!.toLowerCase() as (typeof WEEKDAYS)[number]),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function offsetMs(at: number, timeZone: string): number {
  const l = localTime(new Date(at), timeZone);
  const seconds = new Date(at).getUTCSeconds();
  return Date.UTC(l.year, l.month - 1, l.day, 0, l.minutes, seconds) - Math.floor(at / 1000) * 1000;
}

/** The instant a local wall time names in a zone; in a DST gap, the instant the clock jumps to. */
export function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  // Where the guesses disagree the wall time falls in a spring-forward gap: read it with the offset from before the gap (02:30 becomes 03:30), as Temporal does.
  return new Date(Math.max(first, second));
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(":").map(Number);
  return h! * 60 + m!;
}

function insideWeekly(window: WeeklyWindow, at: Date): boolean {
  const local = localTime(at, window.timeZone);
  const [start, end] = [clockMinutes(window.start), clockMinutes(window.end)];
  const on = (weekday: number) => window.days.includes(WEEKDAYS[(weekday + 7) % 7]!);
  if (start < end) return on(local.weekday) && local.minutes >= start && local.minutes < end;
  return (on(local.weekday) && local.minutes >= start) || (on(local.weekday - 1) && local.minutes < end);
}

function freezeBounds(freeze: Freeze): { from: Date; until: Date } {
  const bound = (text: string) => {
    const [date, time] = text.split("T");
    const [y, m, d] = date!.split("-").map(Number);
    return instantOf(y!, m!, d!, time ? clockMinutes(time) : 0, freeze.timeZone);
  };
  return { from: bound(freeze.from), until: bound(freeze.until) };
}

function insideFreeze(freeze: Freeze, at: Date): boolean {
  const { from, until } = freezeBounds(freeze);
  return at >= from && at < until;
}

/** What forbids a change at `at`, or undefined when it may run. Pure. */
function blocker(windows: ChangeWindows, at: Date): string | undefined {
  const freeze = windows.freezes.find((f) => insideFreeze(f, at));
  if (freeze) return `freeze ${freeze.name} (${freeze.from} until ${freeze.until} ${freeze.timeZone})`;
  const deny = windows.deny.find((w) => insideWeekly(w, at));
  if (deny) return `deny window ${deny.name}`;
  if (windows.allow.length > 0 && !windows.allow.some((w) => insideWeekly(w, at))) return `outside every allow window (${windows.allow.map((w) => w.name).join("; ")})`;
  return undefined;
}

const SEARCH_DAYS = 400;

/** Every instant within the search horizon where some window starts or ends: the only moments a verdict can change. */
function boundaries(windows: ChangeWindows, after: Date): Date[] {
  const found: Date[] = [];
  for (const window of [...windows.allow, ...windows.deny]) {
    const today = localTime(after, window.timeZone);
    for (let offset = -1; offset <= SEARCH_DAYS; offset++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
      for (const clock of [window.start, window.end]) {
        found.push(instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), clockMinutes(clock), window.timeZone));
      }
    }
  }
  for (const freeze of windows.freezes) found.push(freezeBounds(freeze).until);
  return found.filter((at) => at > after).sort((a, b) => a.getTime() - b.getTime());
}

/** Whether a change may run at `now` under the windows, and when it may if not (within about a year). Pure. */
export function changeWindowVerdict(windows: ChangeWindows, now: Date): WindowVerdict {
  const blocked = blocker(windows, now);
  if (!blocked) {
    const open = windows.allow.find((w) => insideWeekly(w, now));
    return { allowed: true, reason: open ? `inside allow window ${open.name}` : "no window or freeze forbids changes now" };
  }
  const opensAt = boundaries(windows, now).find((at) => blocker(windows, at) === undefined);
  const when = opensAt ? `changes open at ${opensAt.toISOString()}` : `no window opens within ${SEARCH_DAYS} days`;
  return { allowed: false, window: blocked, reason: `${blocked}; ${when}`, ...(opensAt ? { opensAt } : {}) };
}

/** No windows, no freezes: every moment is open. */
export function hasWindows(windows: ChangeWindows): boolean {
  return windows.allow.length + windows.deny.length + windows.freezes.length > 0;
}

/** `--break-glass --reason`: who asks to go ahead outside the windows, and why. */
export interface BreakGlassRequest {
  readonly reason: string;
  readonly by: string;
}

export type WindowDecision =
  | { readonly go: true; readonly note?: string; readonly breakGlass?: { readonly reason: string; readonly by: string; readonly window: string } }
  | { readonly go: false; readonly refusal: string };

/** Whether `operation` on `env` may run now: inside its windows, or outside them with break-glass (recorded). Pure. */
export function changeWindowGate(env: { readonly name: string; readonly file: string; readonly gates: { readonly windows: ChangeWindows } }, operation: string, now: Date, breakGlass?: BreakGlassRequest): WindowDecision {
  if (!hasWindows(env.gates.windows)) return { go: true };
  const verdict = changeWindowVerdict(env.gates.windows, now);
  if (verdict.allowed) return { go: true };
  if (breakGlass) {
    return { go: true, note: `break-glass by ${breakGlass.by}: ${operation} ${env.name} outside its change windows (${verdict.window}); reason: ${breakGlass.reason}`, breakGlass: { ...breakGlass, window: verdict.window } };
  }
  return {
    go: false,
    refusal: `${operation} ${env.name} refused by its change windows (${env.file}: gates.windows): ${verdict.reason}; run it then, or override with --break-glass --reason "<why>" (recorded and notified)`,
  };
}
