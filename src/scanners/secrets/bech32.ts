/** Bech32 checksum (BIP 173), used to tell real `AGE-SECRET-KEY-1…` keys from edited examples. */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum ^= GENERATOR[i]!;
  }
  return checksum >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const expanded: number[] = [];
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) >>> 5);
  expanded.push(0);
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) & 31);
  return expanded;
}

/** Encodes 5-bit `data` under `hrp` with its checksum (lowercase); used to build test fixtures. */
export function bech32Encode(hrp: string, data: readonly number[]): string {
  const lower = hrp.toLowerCase();
  const mod = polymod([...hrpExpand(lower), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${lower}1${[...data, ...checksum].map((value) => CHARSET[value]).join('')}`;
}

/** True when `text` (any case) is a bech32 string whose checksum verifies. */
export function bech32Valid(text: string): boolean {
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length || lower.length > 200) return false;
  const hrp = lower.slice(0, separator);
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const index = CHARSET.indexOf(char);
    if (index < 0) return false;
    data.push(index);
  }
  return polymod([...hrpExpand(hrp), ...data]) === 1;
}
