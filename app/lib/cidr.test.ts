import { describe, expect, it } from "vitest";
import { cidrMatcher, parseCidr } from "./cidr";

describe("CIDR ranges", () => {
  it("parses ranges and single addresses, refuses anything else", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("2001:db8::/32")?.family).toBe("ipv6");
    expect(parseCidr("192.168.1.7")?.prefix).toBe(32);
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "intranet", "10.0.0.0/8/1", "10.0.0.0/", "::/129"]) expect(parseCidr(bad)).toBeNull();
  });

  it("matches IPv4, IPv4-mapped IPv6 and IPv6 addresses", () => {
    const inside = cidrMatcher(["10.0.0.0/8", "192.168.1.0/24", "fd00::/8"]);
    expect(inside("10.20.30.40")).toBe(true);
    expect(inside("::ffff:10.20.30.40")).toBe(true);
    expect(inside("192.168.1.255")).toBe(true);
    expect(inside("192.168.2.1")).toBe(false);
    expect(inside("fd12::1")).toBe(true);
    expect(inside("2001:db8::1")).toBe(false);
    expect(inside("")).toBe(false);
    expect(inside(null)).toBe(false);
    expect(inside("not-an-ip")).toBe(false);
  });
});
