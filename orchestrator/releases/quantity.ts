const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a Kubernetes resource quantity ("100m", "0.1", "1Gi", "1e3", 2), or undefined when it is not one. Pure. */
export function quantityValue(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return quantity;
  if (typeof quantity !== "string") return undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix = ""] = match;
  if (exponent) return Number(`${number}${exponent}`);
  return Number(number) * (BINARY[suffix] ?? DECIMAL[suffix]!);
}

/**
 * Whether two quantities are the same amount: the API server stores its canonical form
 * ("0.1" comes back as "100m", "1024Mi" as "1Gi"). Compared within a relative 1e-9, as floats. Pure.
 */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  if (x === undefined || y === undefined) return false;
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}
