// The cidr operator (spec §2.9) and the one-address range an IP-looking exact value compiles to (§2.1).
import { invalid } from './invalid-pattern-error.ts';
import { type IpAddress, parseIpAddress, sharesPrefix } from './ip-address.ts';
import { onlyStrings, type ValueTest } from './value-test.ts';

const MASK_BITS = /^\d+$/;

export function readCidr(operand: unknown): ValueTest {
  if (typeof operand !== 'string') invalid('cidr match pattern must be a string');
  const parts = operand.split('/');
  const [addressText = '', bitsText = ''] = parts;
  if (parts.length !== 2) invalid("Malformed CIDR, one '/' required");
  if (!MASK_BITS.test(bitsText)) invalid('Malformed CIDR, mask bits must be an integer');
  const network = parseIpAddress(addressText);
  if (network === undefined) invalid(`Nonstandard IP address: ${addressText}`);
  const bits = Number(bitsText);
  const maxBits = network.length * 16;
  if (bits > maxBits) invalid(`Malformed CIDR, mask bits must be between 0 and ${maxBits}`);
  // §2.9: host bits in the CIDR are ignored, which comparing only the first `bits` bits gives.
  return addressRangeTest(network, bits);
}

/** §2.1: an exact value such as `"10.0.1.200"` is a one-address range, so any spelling of it matches. */
export function exactAddressTest(text: string): ValueTest | undefined {
  const address = parseIpAddress(text);
  return address === undefined ? undefined : addressRangeTest(address, address.length * 16);
}

function addressRangeTest(network: IpAddress, bits: number): ValueTest {
  return onlyStrings((value) => {
    const address = parseIpAddress(value);
    return address !== undefined && sharesPrefix(address, network, bits);
  });
}
