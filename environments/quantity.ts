/** Kubernetes resource quantities, parsed to plain numbers: cpu in millicores, memory in bytes. */
const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T|k)?$/;
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

export function parseCpu(quantity: string): number | undefined {
  const match = CPU.exec(quantity.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.round(match[2] === "m" ? value : value * 1000);
}

export function parseMemory(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * MEMORY_UNITS[match[2] ?? ""]);
}

export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? `${millicores / 1000}` : `${millicores}m`;
}

export function formatMemory(bytes: number): string {
  const gi = bytes / 2 ** 30;
  return gi >= 1 ? `${Number(gi.toFixed(2))}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`;
}
