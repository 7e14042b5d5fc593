import { z } from "zod";
import { isTimeZone, parseDuration } from "./duration";
import { COMPARISONS, WEEKDAYS, type GateSettings } from "./gates";

const duration = (example: string) =>
  z.string({ error: `expected a duration such as "${example}" (ms, s, m, h, d)` }).refine((v) => parseDuration(v) !== undefined, {
    error: `expected a duration such as "${example}" (ms, s, m, h, d)`,
  });
const timeZone = z.string({ error: "expected an IANA time zone such as Europe/Berlin or UTC" }).refine(isTimeZone, {
  error: "expected an IANA time zone such as Europe/Berlin, America/New_York or UTC",
});
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'expected a local time "HH:MM" such as "09:00" (24:00 for midnight at the end)' });
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/, { error: 'expected a local date or date-time such as "2026-12-20" or "2026-12-20T18:00"' });

const metricCheck = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected a short name such as error-rate" }),
    prometheus: z.url({ error: "expected the Prometheus base URL, e.g. http://prometheus.observability:9090" }),
    query: z.string().min(1, { error: "expected a PromQL query" }),
    comparison: z.enum(COMPARISONS, { error: `expected a comparison: ${COMPARISONS.join(" ")} (the measurement passes when value <comparison> threshold)` }),
    threshold: z.number({ error: "expected a number" }),
    count: z.int().min(1).max(1000).default(1),
    interval: duration("30s").default("30s"),
    failureLimit: z.int().min(0).default(0),
    inconclusiveLimit: z.int().min(0).default(0),
  })
  .superRefine((c, ctx) => {
    if (c.failureLimit >= c.count) ctx.addIssue({ code: "custom", path: ["failureLimit"], message: `failureLimit ${c.failureLimit} tolerates every one of the ${c.count} measurements; expected failureLimit < count` });
    if (c.inconclusiveLimit >= c.count) ctx.addIssue({ code: "custom", path: ["inconclusiveLimit"], message: `inconclusiveLimit ${c.inconclusiveLimit} tolerates every one of the ${c.count} measurements; expected inconclusiveLimit < count` });
  });

const weekly = z
  .strictObject({
    name: z.string().min(1).optional(),
    days: z.array(z.enum(WEEKDAYS, { error: `expected a day: ${WEEKDAYS.join(", ")}` })).min(1, { error: "expected at least one day" }),
    start: clock,
    end: clock,
    timeZone,
  })
  .superRefine((w, ctx) => {
    if (w.start === w.end) ctx.addIssue({ code: "custom", path: ["end"], message: `end ${w.end} equals start; expected a window of some length (an end before the start runs past midnight)` });
  });

const freeze = z
  .strictObject({ name: z.string().min(1), from: localDateTime, until: localDateTime, timeZone })
  .superRefine((f, ctx) => {
    if (f.until <= f.from) ctx.addIssue({ code: "custom", path: ["until"], message: `until ${f.until} is not after from ${f.from}` });
  });

const windowName = (kind: string, w: { name?: string; days: readonly string[]; start: string; end: string; timeZone: string }) =>
  w.name ?? `${kind} ${w.days.join(",")} ${w.start}-${w.end} ${w.timeZone}`;

/** `gates:` of an environment file, turned into GateSettings (durations in ms, every window named). */
export const gatesSchema = z
  .strictObject({
    requiredSoak: duration("30m").optional(),
    metricChecks: z.array(metricCheck).default([]),
    windows: z
      .strictObject({ allow: z.array(weekly).default([]), deny: z.array(weekly).default([]), freezes: z.array(freeze).default([]) })
      .default({ allow: [], deny: [], freezes: [] }),
  })
  .transform(
    (g): GateSettings => ({
      requiredSoakMs: g.requiredSoak ? parseDuration(g.requiredSoak)! : 0,
      metricChecks: g.metricChecks.map(({ interval, ...c }) => ({ ...c, intervalMs: parseDuration(interval)! })),
      windows: {
        allow: g.windows.allow.map((w) => ({ ...w, name: windowName("allow", w) })),
        deny: g.windows.deny.map((w) => ({ ...w, name: windowName("deny", w) })),
        freezes: g.windows.freezes,
      },
    }),
  );
