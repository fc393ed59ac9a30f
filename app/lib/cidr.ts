import net from "node:net";

export type Cidr = { address: string; prefix: number; family: "ipv4" | "ipv6" };

/** `10.0.0.0/8`, `2001:db8::/32` or a single address; null when it is neither. */
export function parseCidr(text: string): Cidr | null {
  const [address = "", prefixText, extra] = text.split("/");
  if (extra !== undefined) return null;
  const version = net.isIP(address);
  if (!version) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** `::ffff:10.1.2.3` (how a dual-stack socket reports an IPv4 client) becomes `10.1.2.3`. */
export function plainAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** A matcher for a list of ranges; an address outside every range (or not an address) is false. */
export function cidrMatcher(ranges: string[]): (ip: string | null | undefined) => boolean {
  const list = new net.BlockList();
  for (const text of ranges) {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`not a CIDR range: ${text}`);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return (ip) => {
    if (!ip) return false;
    const address = plainAddress(ip);
    const version = net.isIP(address);
    return version !== 0 && list.check(address, version === 4 ? "ipv4" : "ipv6");
  };
}
