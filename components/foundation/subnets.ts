import { CIDR } from "../../environments/schema";

/** The public and private subnet CIDRs for one availability zone. */
export interface SubnetPlan {
  readonly zoneIndex: number;
  readonly publicCidr: string;
  readonly privateCidr: string;
}

/**
 * Carves a VPC CIDR into per-AZ subnets: the first half of the space for private subnets (where
 * nodes live and need room), a smaller block after it for public ones (load balancers, NAT).
 * Private subnets get /(prefix+3) blocks, public ones /(prefix+6), so up to 4 AZs fit.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan[] {
  if (!CIDR.test(vpcCidr)) throw new Error(`${vpcCidr} is not an IPv4 CIDR`);
  const [address, prefixText] = vpcCidr.split("/");
  const prefix = Number(prefixText);
  if (prefix > 22) throw new Error(`VPC ${vpcCidr} is too small for per-AZ subnets; use /22 or larger`);
  if (zones < 1 || zones > 4) throw new Error(`${zones} availability zones requested; between 1 and 4 are supported`);
  const base = (toNumber(address) & mask(prefix)) >>> 0;
  const privateSize = 2 ** (32 - (prefix + 3));
  const publicSize = 2 ** (32 - (prefix + 6));
  const publicStart = base + 4 * privateSize;
  return Array.from({ length: zones }, (_, zoneIndex) => ({
    zoneIndex,
    privateCidr: `${toAddress(base + zoneIndex * privateSize)}/${prefix + 3}`,
    publicCidr: `${toAddress(publicStart + zoneIndex * publicSize)}/${prefix + 6}`,
  }));
}

function toNumber(address: string): number {
  return address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}
