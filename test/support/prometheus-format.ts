/**
 * Checks text against the Prometheus text exposition format (version 0.0.4): comment lines,
 * HELP and TYPE before a family's samples, metric and label names, escaped label values,
 * float values, and for histograms cumulative `_bucket` series ending in le="+Inf" with
 * `_sum` and `_count`. Returns the problems found; none means the text is well formed.
 */
export function exposition(text: string): { problems: string[]; samples: Sample[] } {
  const problems: string[] = [];
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  if (text.length > 0 && !text.endsWith("\n")) problems.push("the text must end with a newline");
  text.split("\n").forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line === "") return;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        if (!/^(counter|gauge|histogram|summary|untyped)$/.test(meta[3]!)) problems.push(`${where}: unknown type ${meta[3]}`);
        if (types.has(meta[2]!)) problems.push(`${where}: second TYPE for ${meta[2]}`);
        if (samples.some((s) => family(s.name, types) === meta[2])) problems.push(`${where}: TYPE after samples of ${meta[2]}`);
        types.set(meta[2]!, meta[3]!);
      }
      return;
    }
    if (line.startsWith("#")) return;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!sample) return void problems.push(`${where}: not a sample line: ${line}`);
    const labels = parseLabels(sample[3] ?? "");
    if (labels === undefined) return void problems.push(`${where}: bad labels: ${sample[3]}`);
    if (!/^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?Inf|NaN)$/.test(sample[4]!)) problems.push(`${where}: bad value ${sample[4]}`);
    if (!family(sample[1]!, types)) problems.push(`${where}: sample ${sample[1]} has no TYPE line before it`);
    samples.push({ name: sample[1]!, labels, value: Number(sample[4]!.replace(/Inf$/, "Infinity")) });
  });
  problems.push(...histogramProblems(samples, types));
  return { problems, samples };
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function family(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, "");
  return types.get(base) === "histogram" || types.get(base) === "summary" ? base : undefined;
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) return undefined;
    if (match[1]! in labels) return undefined;
    labels[match[1]!] = match[2]!;
    at = pattern.lastIndex;
  }
  return labels;
}

function histogramProblems(samples: readonly Sample[], types: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, type] of types) {
    if (type !== "histogram") continue;
    const series = new Map<string, Sample[]>();
    for (const s of samples.filter((s) => s.name === `${name}_bucket`)) {
      const { le, ...rest } = s.labels;
      if (le === undefined) problems.push(`${name}_bucket without le`);
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      const values = buckets.map((b) => b.value);
      if (values.some((v, i) => i > 0 && v < values[i - 1]!)) problems.push(`${name}${key}: buckets are not cumulative`);
      if (buckets.at(-1)?.labels.le !== "+Inf") problems.push(`${name}${key}: last bucket is not le="+Inf"`);
      const count = samples.find((s) => s.name === `${name}_count` && JSON.stringify(s.labels) === key);
      if (!count || count.value !== values.at(-1)) problems.push(`${name}${key}: _count missing or not the +Inf bucket`);
      if (!samples.some((s) => s.name === `${name}_sum` && JSON.stringify(s.labels) === key)) problems.push(`${name}${key}: _sum missing`);
    }
  }
  return problems;
}
