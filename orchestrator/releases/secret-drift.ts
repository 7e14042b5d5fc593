import type { PropertyChange } from "../model/changes";
import { manifestSubsetDrift } from "./manifest-subset";

/** What a drift report shows for a Secret's value, in place of it, on either side. */
export const MASKED = "[secret]";

type SecretFields = { readonly data?: Readonly<Record<string, string>>; readonly stringData?: Readonly<Record<string, string>>; readonly [field: string]: unknown };

/**
 * How a live Secret differs from its manifest, naming each key and never its value. The server
 * folds `stringData` into base64 `data`, so the manifest's are compared in that form. Pure.
 */
export function secretDrift(desired: SecretFields, live: SecretFields): PropertyChange[] {
  const { stringData, ...rest } = desired;
  const encoded = Object.fromEntries(Object.entries(stringData ?? {}).map(([key, value]) => [key, Buffer.from(String(value), "utf8").toString("base64")]));
  const manifest = stringData ? { ...rest, data: { ...(desired.data ?? {}), ...encoded } } : desired;
  return manifestSubsetDrift(manifest, live).map(masked);
}

function masked(change: PropertyChange): PropertyChange {
  if (!change.path.startsWith("data")) return change;
  return { ...change, old: change.old === undefined ? undefined : MASKED, new: change.new === undefined ? undefined : MASKED };
}
