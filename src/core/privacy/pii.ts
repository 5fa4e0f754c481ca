/**
 * Detectors of personal data (PII) in a data set's columns: value tests for each kind of
 * identifier, hints from header names, masking for display, and a column-level verdict that
 * combines both kinds of evidence.
 *
 * Pure functions with no Node or editor dependencies, so the lint (RML001), the editor and the
 * later privacy features share them.
 *
 * Kinds: email addresses, phone numbers, US social security numbers, payment card numbers
 * (Luhn-checked), IBANs (mod 97-checked), IPv4/IPv6 addresses, person names, dates of birth and
 * street addresses.
 *
 * Masking: every value shown to a user goes through {@link maskPii}, which never returns the
 * whole value (see its doc comment for what each kind keeps).
 */
import { ibanValid, luhnValid } from './checksums';
import { FAMILY_NAMES, GIVEN_NAMES } from './names';

/** The kinds of personal identifiers the detectors know. */
export type PiiKind =
  | 'email'
  | 'phone'
  | 'ssn'
  | 'payment-card'
  | 'iban'
  | 'ip-address'
  | 'person-name'
  | 'date-of-birth'
  | 'street-address';

/** Human-readable name of each kind, as used in messages. */
export const PII_LABELS: Readonly<Record<PiiKind, string>> = Object.freeze({
  email: 'email addresses',
  phone: 'phone numbers',
  ssn: 'US social security numbers',
  'payment-card': 'payment card numbers',
  iban: 'IBANs (bank accounts)',
  'ip-address': 'IP addresses',
  'person-name': 'person names',
  'date-of-birth': 'dates of birth',
  'street-address': 'street addresses',
});

/** Every kind, in the order the detectors are tried. */
export const PII_KINDS: readonly PiiKind[] = Object.freeze(Object.keys(PII_LABELS) as PiiKind[]);

// ---------------------------------------------------------------------------------------------
// Value tests

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/;

/** An email address: `local@domain.tld` (RFC 5322 dot-atom local part, DNS host name, alphabetic TLD). */
export function isEmail(value: string): boolean {
  const v = value.trim();
  if (v.length > 254 || v.indexOf('@') < 1) return false;
  const local = v.slice(0, v.lastIndexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return EMAIL.test(v);
}

const EXTENSION = /\s*(?:x|ext\.?|extension)\s*\d{1,6}$/i;
const NANP = /^(?:\+?1[\s.-]?)?(?:\(([2-9]\d{2})\)\s?|([2-9]\d{2})[\s.-])([2-9]\d{2})[\s.-]\d{4}$/;
const INTERNATIONAL = /^\+\d{1,3}(?:[\s.-]?\(\d{1,4}\))?(?:[\s.-]?\d{1,5}){1,6}$/;
const TRUNK = /^0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}$/;

/**
 * A phone number: North American `(212) 555-0100` / `212-555-0100` / `+1 212.555.0100`,
 * international `+44 20 7946 0958` (a leading `+` and 8–15 digits), or national trunk format
 * `020 7946 0958`. An extension (`x123`, `ext. 123`) may follow.
 * @param opts.bare also accept 10–15 bare digits (only when a header says "phone")
 */
export function isPhoneNumber(value: string, opts: { bare?: boolean } = {}): boolean {
  const v = value.trim().replace(EXTENSION, '');
  if (v.length < 7 || v.length > 25) return false;
  const digits = countDigits(v);
  if (digits < 7 || digits > 15) return false;
  if (NANP.test(v)) return true;
  if (v.startsWith('+')) return digits >= 8 && INTERNATIONAL.test(v);
  if (TRUNK.test(v)) return digits >= 10 && digits <= 11;
  return opts.bare === true && /^\d{10,15}$/.test(v);
}

const SSN_DASHED = /^(\d{3})[- ](\d{2})[- ](\d{4})$/;

/**
 * A US social security number: `AAA-GG-SSSS` (dashes or spaces), whose area is not 000, 666 or
 * 900–999, group not 00 and serial not 0000 (the SSA's never-issued ranges), and which is not one
 * of the well-known advertising numbers (078-05-1120, 219-09-9999).
 * @param opts.bare also accept nine bare digits (only when a header says "ssn")
 */
export function isUsSsn(value: string, opts: { bare?: boolean } = {}): boolean {
  const v = value.trim();
  const m = SSN_DASHED.exec(v);
  let compact: string;
  if (m) compact = m[1] + m[2] + m[3];
  else if (opts.bare && /^\d{9}$/.test(v)) compact = v;
  else return false;
  const area = Number(compact.slice(0, 3));
  const group = Number(compact.slice(3, 5));
  const serial = Number(compact.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  return compact !== '078051120' && compact !== '219099999';
}

const CARD_GROUPED = /^(?:\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?|\d{4}[ -]?\d{6}[ -]?\d{4,5})$/;

/**
 * A payment card number (ISO/IEC 7812): 13–19 digits, optionally in groups separated by spaces or
 * dashes, passing the Luhn check, with an issuer prefix of a major network (Visa 4, Mastercard
 * 51–55 and 2221–2720, American Express 34/37, Diners 30/36/38/39, JCB 35, Discover/UnionPay/
 * Maestro 6 and 50/56–58).
 */
export function isPaymentCard(value: string): boolean {
  const v = value.trim();
  if (!CARD_GROUPED.test(v)) return false;
  const digits = v.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  if (!knownIssuer(digits)) return false;
  return luhnValid(digits);
}

function knownIssuer(d: string): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  switch (d[0]) {
    case '4':
      return true;
    case '5':
      return (two >= 51 && two <= 55) || two === 50 || (two >= 56 && two <= 58);
    case '2':
      return four >= 2221 && four <= 2720;
    case '3':
      return two === 34 || two === 37 || two === 30 || two === 36 || two === 38 || two === 39 || two === 35;
    case '6':
      return true;
    default:
      return false;
  }
}

/** An IBAN (ISO 13616): country code, check digits and account, with the right length for the country and a valid mod-97 check. */
export function isIban(value: string): boolean {
  const v = value.trim();
  if (v.length < 15 || v.length > 42) return false;
  if (!/^[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{1,4})+$/.test(v)) return false;
  return ibanValid(v);
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** A dotted-quad IPv4 address (each part 0–255, no leading zeros). */
export function isIPv4(value: string): boolean {
  return IPV4.test(value.trim());
}

/** An IPv6 address in RFC 4291 text form (`::` compression, an embedded IPv4 tail and a `%zone` allowed). */
export function isIPv6(value: string): boolean {
  let v = value.trim();
  const zone = v.indexOf('%');
  if (zone >= 0) v = v.slice(0, zone);
  if (v.length < 2 || v.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(v)) return false;
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const parse = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return false;
  const groups = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (i === groups.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/** An IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

const STREET_TYPES =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|aly|crescent|cres|close|row|plaza|plz';
const STREET = new RegExp(
  `^\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?\\s+(?:[A-Za-z0-9'.-]+\\s+){0,5}(?:${STREET_TYPES})\\.?(?:\\s+(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\\.?)?(?:\\s*(?:,|#|\\b(?:apt|apartment|suite|ste|unit|fl|floor)\\b).*)?$`,
  'i',
);
const PO_BOX = /^p\.?\s*o\.?\s*box\s+\d+/i;
const STREET_TYPE_WORD = new RegExp(`^(?:${STREET_TYPES})\\.?,?$`, 'i');

/** A street address in English notation: a house number, street name words and a street type (`123 Main St`, `4 Elm Avenue, Apt 2`), or a PO box. */
export function isStreetAddress(value: string): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > 200) return false;
  return STREET.test(v) || PO_BOX.test(v);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/;
const WORD_DATE_MDY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;
const WORD_DATE_DMY = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$/;

/** A calendar date. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/**
 * Parse a calendar date written as `YYYY-MM-DD` (also with `/` or `.`, and an optional time),
 * `MM/DD/YYYY` or `DD/MM/YYYY` (either reading, whichever is a valid date; also with `-` or `.`
 * and two-digit years), `April 18, 1947` or `18 Apr 1947`. Returns undefined for anything else or
 * an impossible date (February 30th).
 */
export function parseDateValue(value: string): DateParts | undefined {
  const v = value.trim();
  if (v.length < 6 || v.length > 40) return undefined;
  let m = ISO_DATE.exec(v);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = NUMERIC_DATE.exec(v);
  if (m) {
    let year = Number(m[3]);
    if (m[3].length === 2) year += year > 30 ? 1900 : 2000;
    return validDate(year, Number(m[1]), Number(m[2])) ?? validDate(year, Number(m[2]), Number(m[1]));
  }
  m = WORD_DATE_MDY.exec(v);
  if (m) return validDate(Number(m[3]), monthIndex(m[1]), Number(m[2]));
  m = WORD_DATE_DMY.exec(v);
  if (m) return validDate(Number(m[3]), monthIndex(m[2]), Number(m[1]));
  return undefined;
}

function monthIndex(word: string): number {
  const i = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
  return i < 0 ? 0 : i + 1;
}

function validDate(year: number, month: number, day: number): DateParts | undefined {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1] ? { year, month, day } : undefined;
}

/** A plausible date of birth: a calendar date (see {@link parseDateValue}) from 1880 up to today's year. */
export function isBirthDate(value: string, now = new Date()): boolean {
  const d = parseDateValue(value);
  return d !== undefined && d.year >= 1880 && d.year <= now.getUTCFullYear();
}

const NAME_TOKEN = /^\p{L}[\p{L}'’.-]{0,24}$/u;
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'jr', 'sr', 'ii', 'iii']);

/**
 * Whether a value is shaped like a person's name: one to four words of letters (apostrophes,
 * periods and hyphens inside), optionally `Last, First`, at most 60 characters, no digits.
 */
export function isNameShaped(value: string): boolean {
  const v = value.trim();
  if (v.length < 2 || v.length > 60) return false;
  const tokens = v.split(/,?\s+|,/).filter((t) => t.length > 0);
  if (tokens.length < 1 || tokens.length > 4) return false;
  return tokens.every((t) => NAME_TOKEN.test(t));
}

/** Whether any word of the value is a common given name or surname, or an honorific (see `names.ts`). */
export function hasCommonNameWord(value: string): boolean {
  for (const raw of value.toLowerCase().split(/[\s,]+/)) {
    const t = raw.replace(/[.'’]/g, '');
    if (t.length === 0) continue;
    if (GIVEN_NAMES.has(t) || FAMILY_NAMES.has(t) || HONORIFICS.has(t)) return true;
  }
  return false;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Masking

/**
 * Mask a value for display, keeping only enough to recognise its kind. Never returns the whole
 * value:
 * - email: first character of the local part and of the domain (when longer than one), and the
 *   top-level domain (`j***@e***.com`);
 * - phone: the separators and the last two digits (`(***) ***-**67`);
 * - ssn: the last four digits (`***-**-1234`);
 * - payment card: the separators and the last four digits (`**** **** **** 1111`);
 * - IBAN: the country code and the last two characters (`DE** **** … **00`);
 * - IP address: the first octet or group (`192.***.***.***`, `2001:****`);
 * - person name: the initial of each word (`m*** h***`);
 * - date of birth: the layout only (`****-**-**`);
 * - street address: the street type word (`*** M*** Street`);
 * - anything else: the first character (`a***`).
 */
export function maskPii(kind: PiiKind, value: string): string {
  const v = value.trim();
  if (v.length === 0) return '';
  switch (kind) {
    case 'email': {
      const at = v.lastIndexOf('@');
      if (at < 1) return firstOnly(v);
      const local = v.slice(0, at);
      const domain = v.slice(at + 1);
      const dot = domain.lastIndexOf('.');
      const tld = dot >= 0 ? domain.slice(dot) : '';
      // A one-letter part stays hidden, or a short address would show every character.
      const l = local.length > 1 ? local[0] : '';
      const d = dot > 1 ? domain[0] : '';
      return `${l}***@${d}***${tld}`;
    }
    case 'phone':
      return maskDigits(v, 2);
    case 'ssn':
      return `***-**-${v.replace(/\D/g, '').slice(-4)}`;
    case 'payment-card':
      return maskDigits(v, 4);
    case 'iban': {
      const compact = v.replace(/ /g, '');
      let kept = 0;
      let out = '';
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (c === ' ') {
          out += c;
          continue;
        }
        out += kept < 2 || kept >= compact.length - 2 ? c : '*';
        kept++;
      }
      return out;
    }
    case 'ip-address':
      if (isIPv4(v)) return `${v.split('.')[0]}.***.***.***`;
      return `${v.split(':')[0] || ''}:****`;
    case 'person-name':
      return v
        .split(/(\s+|,)/)
        .map((t) => (/^\s+$|^,$/.test(t) || t.length === 0 ? t : `${t[0]}***`))
        .join('');
    case 'date-of-birth':
      return v.replace(/\d/g, '*').replace(/[A-Za-z]+/g, '***');
    case 'street-address':
      return v
        .split(/(\s+)/)
        .map((t) => (/^\s+$/.test(t) || t.length === 0 ? t : STREET_TYPE_WORD.test(t) ? t : /\d/.test(t) ? '***' : `${t[0]}***`))
        .join('');
    default:
      return firstOnly(v);
  }
}

function firstOnly(v: string): string {
  return `${v[0]}***`;
}

function maskDigits(v: string, keepLast: number): string {
  const total = countDigits(v);
  let seen = 0;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      seen++;
      out += seen > total - keepLast ? v[i] : '*';
    } else if (/[A-Za-z]/.test(v[i])) {
      out += '*';
    } else {
      out += v[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header names

/**
 * Split a column or key name into lower-case words: on non-alphanumerics, camelCase and
 * letter/digit boundaries (`firstName` → first, name; `DOB_2` → dob, 2; `e-mail` → e, mail).
 */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** What a header name says about a column. `strong`: the name alone says it (`email`, `date_of_birth`); `weak`: it may (`first`, `address`). */
export interface PiiHeaderHint {
  kind: PiiKind;
  strength: 'strong' | 'weak';
  /** The word or words of the header that matched. */
  term: string;
}

/** Words that, next to "name", say it is not a person's name (`product_name`, `file_name`). */
const NOT_PERSON = new Set([
  'file', 'product', 'company', 'brand', 'host', 'domain', 'item', 'model', 'project', 'city', 'country', 'street', 'state',
  'region', 'category', 'class', 'column', 'field', 'feature', 'table', 'course', 'event', 'job', 'org', 'organization',
  'organisation', 'business', 'school', 'team', 'place', 'program', 'dataset', 'app', 'device', 'station', 'store', 'vendor',
  'variable', 'account', 'species', 'drug', 'disease', 'bank', 'branch', 'department', 'dept', 'package', 'module', 'class',
  'service', 'server', 'queue', 'metric', 'key', 'tag', 'label', 'type', 'path', 'site', 'page', 'layer', 'test', 'user',
]);
const PERSON_QUALIFIERS = new Set([
  'first', 'last', 'full', 'given', 'family', 'middle', 'maiden', 'person', 'customer', 'client', 'patient', 'employee',
  'applicant', 'contact', 'owner', 'student', 'member', 'borrower', 'holder', 'card', 'account', 'mother', 'father', 'parent',
  'spouse', 'beneficiary', 'defendant', 'offender', 'victim', 'respondent', 'sur', 'fore', 'nick', 'legal', 'real', 'display',
]);
const BIRTH_NOT_DATE = new Set(['country', 'place', 'city', 'state', 'nation', 'order', 'weight', 'rate', 'year', 'yr', 'month', 'region', 'town']);

/**
 * Hints from a header name (matched on its words, see {@link splitIdentifier}).
 * @example piiHeaderHints('first_name') → [{ kind: 'person-name', strength: 'strong', term: 'first name' }]
 */
export function piiHeaderHints(header: string): PiiHeaderHint[] {
  const t = splitIdentifier(header);
  const words = new Set(t);
  const compact = t.join('');
  const hints: PiiHeaderHint[] = [];
  const add = (kind: PiiKind, strength: 'strong' | 'weak', term: string) => hints.push({ kind, strength, term });

  if (compact.includes('email') || (words.has('mail') && (words.has('e') || words.has('address') || t.length === 1))) add('email', 'strong', 'email');
  else if (words.has('mail')) add('email', 'weak', 'mail');

  const phoneWords = ['phone', 'telephone', 'mobile', 'cellphone', 'msisdn', 'phonenumber'];
  const phoneStrong = phoneWords.find((w) => words.has(w) || compact.includes(w));
  if (phoneStrong) add('phone', 'strong', phoneStrong);
  else {
    const weak = ['tel', 'cell', 'fax'].find((w) => words.has(w));
    if (weak) add('phone', 'weak', weak);
  }

  if (words.has('ssn') || compact.includes('socialsecurity')) add('ssn', 'strong', words.has('ssn') ? 'ssn' : 'social security');
  else if (['sin', 'nino', 'tin'].some((w) => words.has(w)) || compact.includes('nationalid') || compact.includes('taxid')) add('ssn', 'weak', 'national id');

  const cardStrong = ['creditcard', 'debitcard', 'cardnumber', 'ccnumber', 'ccnum', 'cardno', 'pan'].find((w) => compact.includes(w) && (w !== 'pan' || words.has('pan')));
  if (cardStrong) add('payment-card', 'strong', cardStrong);
  else if (words.has('card') || words.has('cc')) add('payment-card', 'weak', words.has('card') ? 'card' : 'cc');

  if (words.has('iban')) add('iban', 'strong', 'iban');
  else if (compact.includes('bankaccount') || compact.includes('accountnumber') || compact.includes('accountno')) add('iban', 'weak', 'account number');

  if (words.has('ip') || words.has('ipv4') || words.has('ipv6') || compact.includes('ipaddress') || compact.includes('ipaddr') || compact.includes('remoteaddr')) {
    add('ip-address', 'strong', 'ip');
  }

  const nameStrong = new Set(['name', 'fullname', 'firstname', 'lastname', 'givenname', 'familyname', 'surname', 'forename', 'middlename', 'maidenname', 'firstnames', 'lastnames', 'surnames', 'forenames', 'personname', 'nickname']);
  if (nameStrong.has(compact)) add('person-name', 'strong', t.join(' '));
  else if (['first', 'last', 'given', 'family', 'surname', 'forename'].includes(compact)) add('person-name', 'weak', compact);
  else if (words.has('surname') || words.has('forename') || words.has('firstname') || words.has('lastname') || words.has('fullname')) {
    add('person-name', 'strong', t.find((w) => w.endsWith('name')) ?? 'name');
  } else if (words.has('name') && !t.some((w) => NOT_PERSON.has(w))) {
    add('person-name', t.some((w) => PERSON_QUALIFIERS.has(w)) ? 'strong' : 'weak', t.join(' '));
  }

  const dobWord = ['dob', 'birthday', 'birthdate', 'bday', 'born', 'dateofbirth'].find((w) => words.has(w) || compact.includes(w));
  if (dobWord) add('date-of-birth', 'strong', dobWord);
  else if ((words.has('birth') || compact.includes('birth')) && !t.some((w) => BIRTH_NOT_DATE.has(w))) add('date-of-birth', 'strong', 'birth');

  if (!compact.includes('email') && !compact.includes('ipaddr') && !compact.includes('macaddr')) {
    if (words.has('street') || compact.includes('streetaddress') || compact.includes('addressline') || compact.includes('homeaddress') || compact.includes('mailingaddress')) {
      add('street-address', 'strong', words.has('street') ? 'street' : 'address');
    } else if (words.has('address') || words.has('addr') || /^address\d$/.test(compact)) {
      add('street-address', 'weak', 'address');
    }
  }
  return hints;
}

// ---------------------------------------------------------------------------------------------
// Column verdict

/** Options of {@link detectPii}. */
export interface PiiColumnOptions {
  /** Share of checked values that must match for value evidence alone (default 0.5). */
  valueShare?: number;
  /** Share of checked values that must match when the header also hints at the kind (default 0.1). */
  headerValueShare?: number;
  /** At most this many non-missing values are checked, evenly spaced through the column (default 1000). */
  maxValues?: number;
  /** "Now", for the date-of-birth year bound (default: the current date). */
  now?: Date;
}

/** The verdict on one column for one kind of personal data. */
export interface PiiColumnMatch {
  kind: PiiKind;
  /** {@link PII_LABELS} of the kind. */
  label: string;
  /** What the verdict rests on. */
  evidence: 'values' | 'header+values';
  /** The header words that hinted at the kind, if any. */
  headerTerm?: string;
  /** Values that matched the kind's test. */
  matched: number;
  /** Non-missing values checked. */
  checked: number;
  /** matched / checked. */
  share: number;
  /** For person names: the share of checked values containing a common given name or surname. */
  lexiconShare?: number;
  /** One matching value, masked with {@link maskPii} (never the full value). */
  example?: string;
}

/** Defaults of {@link PiiColumnOptions}. */
export const PII_DEFAULTS = Object.freeze({ valueShare: 0.5, headerValueShare: 0.1, maxValues: 1000 });

/**
 * Decide which kinds of personal data a column holds, from its header name and its values.
 *
 * A kind is reported when:
 * - its value test matches at least `valueShare` of the checked values, or
 * - the header hints at it and its value test matches at least `headerValueShare` of them.
 *
 * Person names (the value test alone matches any word) need more: at least 80% of the values
 * name-shaped ({@link isNameShaped}) and, of all checked values, a share containing a common given
 * name or surname ({@link hasCommonNameWord}) of at least 5% under a strong header (`name`,
 * `first_name`), 10% under a weak one (`first`, `last`), and 30% with no header hint (then also at
 * least 20 distinct values). Dates of birth always need a header hint (dates alone are not births).
 *
 * Bare digit strings count as phone numbers or SSNs only under a matching header.
 * @param header the column's header name
 * @param values the column's values (`null` = missing); at most `maxValues` are checked
 * @returns the kinds found, strongest evidence first (header and values, then by share)
 */
export function detectPii(header: string, values: ArrayLike<string | null>, opts: PiiColumnOptions = {}): PiiColumnMatch[] {
  const valueShare = opts.valueShare ?? PII_DEFAULTS.valueShare;
  const headerValueShare = opts.headerValueShare ?? PII_DEFAULTS.headerValueShare;
  const maxValues = Math.max(1, Math.floor(opts.maxValues ?? PII_DEFAULTS.maxValues));
  const now = opts.now ?? new Date();
  const checkedValues = pickValues(values, maxValues);
  const n = checkedValues.length;
  if (n === 0) return [];
  const hints = piiHeaderHints(header);
  const hint = (kind: PiiKind) => hints.find((h) => h.kind === kind);

  const tests: { kind: PiiKind; test: (v: string) => boolean }[] = [
    { kind: 'email', test: (v) => v.includes('@') && isEmail(v) },
    { kind: 'ssn', test: (v) => isUsSsn(v, { bare: hint('ssn')?.strength === 'strong' }) },
    { kind: 'payment-card', test: (v) => isPaymentCard(v) },
    { kind: 'iban', test: (v) => isIban(v) },
    { kind: 'ip-address', test: (v) => (v.includes('.') || v.includes(':')) && isIpAddress(v) },
    { kind: 'phone', test: (v) => isPhoneNumber(v, { bare: hint('phone')?.strength === 'strong' }) },
    { kind: 'date-of-birth', test: (v) => isBirthDate(v, now) },
    { kind: 'street-address', test: (v) => isStreetAddress(v) },
  ];

  // Each distinct value is tested once and counted as often as it occurs.
  const distinctValues = new Map<string, number>();
  for (const v of checkedValues) distinctValues.set(v, (distinctValues.get(v) ?? 0) + 1);
  let anyDigit = false;
  for (const v of distinctValues.keys()) {
    if (/\d/.test(v)) {
      anyDigit = true;
      break;
    }
  }

  const results: PiiColumnMatch[] = [];
  for (const { kind, test } of tests) {
    const h = hint(kind);
    if (kind === 'date-of-birth' && !h) continue;
    if (!anyDigit && kind !== 'email' && kind !== 'iban') continue; // every other kind has digits
    let matched = 0;
    let example: string | undefined;
    for (const [v, times] of distinctValues) {
      if (test(v)) {
        matched += times;
        example ??= v;
      }
    }
    const share = matched / n;
    if (matched === 0) continue;
    if (share >= valueShare || (h && share >= headerValueShare)) {
      results.push({
        kind,
        label: PII_LABELS[kind],
        evidence: h ? 'header+values' : 'values',
        ...(h ? { headerTerm: h.term } : {}),
        matched,
        checked: n,
        share,
        ...(example !== undefined ? { example: maskPii(kind, example) } : {}),
      });
    }
  }

  // Person names.
  const nameHint = hint('person-name');
  let shaped = 0;
  let lexicon = 0;
  let example: string | undefined;
  const distinct = new Set<string>();
  for (const [v, times] of distinctValues) {
    if (!isNameShaped(v)) continue;
    shaped += times;
    distinct.add(v.toLowerCase());
    if (hasCommonNameWord(v)) {
      lexicon += times;
      example ??= v;
    }
  }
  const shapeShare = shaped / n;
  const lexiconShare = lexicon / n;
  const needLexicon = nameHint ? (nameHint.strength === 'strong' ? 0.05 : 0.1) : 0.3;
  const alreadyOther = results.some((r) => r.share >= 0.5);
  if (!alreadyOther && shapeShare >= 0.8 && lexiconShare >= needLexicon && (nameHint !== undefined || distinct.size >= 20)) {
    results.push({
      kind: 'person-name',
      label: PII_LABELS['person-name'],
      evidence: nameHint ? 'header+values' : 'values',
      ...(nameHint ? { headerTerm: nameHint.term } : {}),
      matched: shaped,
      checked: n,
      share: shapeShare,
      lexiconShare,
      ...(example !== undefined ? { example: maskPii('person-name', example) } : {}),
    });
  }

  return results.sort((a, b) => Number(b.evidence === 'header+values') - Number(a.evidence === 'header+values') || b.share - a.share);
}

/** Up to `max` non-missing, non-blank values (trimmed), evenly spaced through the column. */
function pickValues(values: ArrayLike<string | null>, max: number): string[] {
  const present: string[] = [];
  const blank = (v: string) => v.length === 0 || ((v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32) && v.trim() === '');
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && !blank(v)) total++;
  }
  if (total === 0) return present;
  const step = total > max ? total / max : 1;
  let next = 0;
  let k = 0;
  for (let i = 0; i < values.length && present.length < max; i++) {
    const v = values[i];
    if (v === null || blank(v)) continue;
    if (k >= next) {
      const c0 = v.charCodeAt(0);
      const c1 = v.charCodeAt(v.length - 1);
      present.push(c0 <= 32 || c1 <= 32 ? v.trim() : v);
      next += step;
    }
    k++;
  }
  return present;
}
