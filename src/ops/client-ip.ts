import { BlockList, isIP } from "node:net";

/**
 * Who the client is. Without a trusted proxy, the peer address, whatever X-Forwarded-For says (anyone
 * can send that header). When the peer is one of TRUSTED_PROXIES, X-Forwarded-For is read from the right:
 * the first address that is not itself a trusted proxy is the client, so a client cannot choose its own
 * address by sending a forged header through the proxy (the proxy appends the real peer after it).
 */
export type ClientIpResolver = (peer: string | null | undefined, forwardedFor: string | null | undefined) => string | null;

/** Checks one TRUSTED_PROXIES entry: an address or CIDR block, IPv4 or IPv6. Returns an error or null. */
export function proxyEntryError(entry: string): string | null {
  const [address, bits, extra] = entry.split("/");
  const family = isIP(address ?? "");
  if (!family || extra !== undefined) return `"${entry}" is not an IP address or CIDR block`;
  if (bits === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(bits) || Number(bits) > max) return `"${entry}" has a prefix length outside 0-${max}`;
  return null;
}

export function clientIpResolver(trustedProxies: readonly string[]): ClientIpResolver {
  if (trustedProxies.length === 0) return (peer) => normalize(peer);
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (ip: string) => trusted.check(ip, isIP(ip) === 4 ? "ipv4" : "ipv6");
  return (peer, forwardedFor) => {
    const direct = normalize(peer);
    if (!direct || !isTrusted(direct) || !forwardedFor) return direct;
    const hops = forwardedFor.split(",").map((h) => normalize(h.trim())).filter((h): h is string => !!h);
    for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i]!)) return hops[i]!;
    // Every hop is one of our proxies (a health check from the proxy host itself): the first one is the client.
    return hops[0] ?? direct;
  };
}

/** A bare address, or null: strips an IPv4-mapped IPv6 prefix, refuses anything that is not an address. */
function normalize(value: string | null | undefined): string | null {
  if (!value) return null;
  const ip = value.startsWith("::ffff:") && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
  return isIP(ip) ? ip : null;
}
