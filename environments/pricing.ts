import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { checkoutRoot } from "./checkout-root";
import { ConfigError, type ConfigIssue } from "./config-error";
import type { EnvironmentSpec, Target } from "./model";
import { parseEnvironmentFile } from "./read-yaml";

const price = z.number({ error: "expected a price, a number such as 0.096" }).min(0, { error: "a price cannot be negative" });
const hourly = z.strictObject({ hourly: price });
const instance = z.strictObject({
  hourly: price,
  vcpu: z.number().positive({ error: "expected the instance's vCPU count, above 0" }),
  memoryGiB: z.number().positive({ error: "expected the instance's memory in GiB, above 0" }),
});

const priceListSchema = z.strictObject({
  currency: z.string({ error: "expected the currency the prices are in, such as USD" }).regex(/^[A-Z]{3}$/, { error: "expected an ISO 4217 currency code such as USD" }),
  notional: z.boolean().default(false),
  date: z.string({ error: 'expected the date the prices were read, such as "2025-01-15"' }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date such as "2025-01-15"' }),
  source: z.string({ error: "expected where the prices come from (a price page, a contract)" }).min(1),
  hoursPerMonth: z.number().positive().default(730),
  controlPlane: hourly,
  natGateway: hourly,
  loadBalancer: hourly,
  volume: z.strictObject({ perGiBMonth: price }),
  instances: z.record(z.string(), instance),
  /** The part of a node's price that pays for its CPU; the rest pays for memory (OpenCost splits a node the same way). */
  cpuShareOfNodePrice: z.number().min(0).max(1).default(0.5),
});

/** Negotiated rates: any field of the list, and its own source and date. */
const overrideSchema = priceListSchema.partial().extend({
  source: priceListSchema.shape.source,
  date: priceListSchema.shape.date,
  instances: z.record(z.string(), instance.partial()).optional(),
});

export type PriceList = z.infer<typeof priceListSchema> & {
  /** The files the prices were read from, list first, then its override. */
  readonly files: readonly string[];
};

export const PRICING_DIR = path.join(checkoutRoot(), "pricing");

function parse<T>(schema: z.ZodType<T>, file: string): T {
  const display = path.relative(process.cwd(), file) || file;
  const issues: ConfigIssue[] = [];
  const parsed = parseEnvironmentFile(file, display, issues);
  if (!parsed) throw new ConfigError(issues);
  const result = schema.safeParse(parsed.tree);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => ({ file: display, path: issue.path.map(String).join("."), message: issue.message.replace(/^Invalid input: /, "") })));
  }
  return result.data;
}

/** The price list of a target (`pricing/<target>.yaml`), with `pricing/<target>.override.yaml` over it when present. */
export function loadPriceList(target: Target, dir: string = PRICING_DIR): PriceList {
  const file = path.join(dir, `${target}.yaml`);
  if (!fs.existsSync(file)) {
    throw new ConfigError([{ file: path.relative(process.cwd(), file) || file, path: "", message: `no price list for target ${target}; add it (currency, date, source, instances...) as pricing/aws.yaml shows` }]);
  }
  const list = parse(priceListSchema, file);
  const overrideFile = path.join(dir, `${target}.override.yaml`);
  if (!fs.existsSync(overrideFile)) return { ...list, files: [file] };
  const override = parse(overrideSchema, overrideFile);
  const instances = { ...list.instances };
  for (const [type, rate] of Object.entries(override.instances ?? {})) {
    const base = instances[type];
    const merged = { ...base, ...rate };
    if (merged.hourly === undefined || merged.vcpu === undefined || merged.memoryGiB === undefined) {
      const display = path.relative(process.cwd(), overrideFile) || overrideFile;
      throw new ConfigError([{ file: display, path: `instances.${type}`, message: `${type} is not in the list it overrides; give hourly, vcpu and memoryGiB` }]);
    }
    instances[type] = merged as PriceList["instances"][string];
  }
  return { ...list, ...override, instances, source: `${override.source} (over ${list.source})`, files: [file, overrideFile] } as PriceList;
}

/** Refuses a price list that lacks what the environment uses, naming both files and the field to add. */
export function checkPricesCover(env: EnvironmentSpec, prices: PriceList): void {
  const type = env.cluster.instanceType;
  if (prices.instances[type]) return;
  const file = path.relative(process.cwd(), prices.files[prices.files.length - 1]!) || prices.files[0]!;
  throw new ConfigError([
    {
      file,
      path: `instances.${type}`,
      message: `unknown instance type ${type} (used by ${env.file}: cluster.instanceType); add its hourly price, vcpu and memoryGiB (known: ${Object.keys(prices.instances).join(", ")})`,
    },
  ]);
}
