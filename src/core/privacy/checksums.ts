/**
 * Check-digit algorithms used to tell real identifiers from look-alike digit strings:
 * the Luhn (mod 10) check of payment cards and the ISO 7064 mod 97-10 check of IBANs.
 * Pure functions over strings, no dependencies.
 */

/**
 * The Luhn (mod 10) check used by payment card numbers (ISO/IEC 7812).
 * From the rightmost digit, every second digit is doubled (minus 9 when over 9); the number is
 * valid when the sum is a multiple of 10.
 * @param digits the digits only (no spaces or dashes); anything else makes it invalid
 * @returns false for an empty string or any non-digit character
 */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * IBAN length by ISO 3166 country code, from the SWIFT IBAN registry (the countries that issue
 * IBANs). An IBAN whose length does not match its country is invalid.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
});

/**
 * The ISO 7064 mod 97-10 check of an IBAN (ISO 13616): move the first four characters to the end,
 * replace letters by numbers (A = 10 … Z = 35), and the remainder modulo 97 must be 1. The length
 * must also match the country (see {@link IBAN_LENGTHS}).
 * @param iban upper- or lower-case, with or without spaces between groups
 */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected === undefined || expected !== s.length) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** `value mod 97` of an alphanumeric string read as digits (A = 10 … Z = 35), computed piecewise. */
export function mod97(alnum: string): number {
  let rem = 0;
  for (let i = 0; i < alnum.length; i++) {
    const c = alnum.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      const v = c - 55; // two digits
      rem = (rem * 100 + v) % 97;
    } else {
      return -1;
    }
  }
  return rem;
}
