// Parses IPv4 and IPv6 text for the cidr operator and IP-looking exact values (spec §2.1, §2.9).

/** An address as 16-bit groups: 2 for IPv4, 8 for IPv6, so both families compare the same way. */
export type IpAddress = readonly number[];

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
// §2.9: IPv6 hex digits are case-insensitive, and groups may keep leading zeros (uncompressed form).
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpAddress(text: string): IpAddress | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

// §2.9: `10.0.0.256` is not an address, and leading zeros are nonstandard.
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    octets.push(octet);
  }
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return [(a << 8) | b, (c << 8) | d];
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [headText = '', tailText] = halves;
  const compressed = tailText !== undefined;
  const head = parseIpv6Groups(headText, !compressed);
  const tail = compressed ? parseIpv6Groups(tailText, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const present = head.length + tail.length;
  if (compressed ? present > 7 : present !== 8) return undefined;
  return [...head, ...new Array<number>(8 - present).fill(0), ...tail];
}

/** Groups of one side of `::`; the very last group of an address may be embedded IPv4 (`::ffff:1.2.3.4`). */
function parseIpv6Groups(half: string, endsAddress: boolean): number[] | undefined {
  if (half === '') return [];
  const parts = half.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (endsAddress && index === parts.length - 1 && part.includes('.')) {
      const embedded = parseIpv4(part);
      if (embedded === undefined) return undefined;
      groups.push(...embedded);
    } else if (IPV6_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Whether two addresses of the same family share their first `bits` bits. */
export function sharesPrefix(address: IpAddress, network: IpAddress, bits: number): boolean {
  if (address.length !== network.length) return false;
  let remaining = bits;
  for (let i = 0; remaining > 0; i++, remaining -= 16) {
    const mask = remaining >= 16 ? 0xffff : (0xffff << (16 - remaining)) & 0xffff;
    if (((address[i] ?? 0) & mask) !== ((network[i] ?? 0) & mask)) return false;
  }
  return true;
}
