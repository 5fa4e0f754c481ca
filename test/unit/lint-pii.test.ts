/**
 * The PII detectors (src/core/privacy): check digits, value tests, header hints, masking and the
 * column verdict. Reference numbers: Luhn test numbers from the card networks' published test
 * cards; IBANs from the SWIFT IBAN registry's examples; SSN rules from the SSA's never-issued
 * ranges.
 */
import { strict as assert } from 'node:assert';
import { ibanValid, luhnValid, mod97 } from '../../src/core/privacy/checksums';
import {
  detectPii,
  hasCommonNameWord,
  isBirthDate,
  isEmail,
  isIban,
  isIPv4,
  isIPv6,
  isNameShaped,
  isPaymentCard,
  isPhoneNumber,
  isStreetAddress,
  isUsSsn,
  maskPii,
  parseDateValue,
  piiHeaderHints,
  splitIdentifier,
  type PiiKind,
} from '../../src/core/privacy/pii';

describe('lint: PII detectors', () => {
  describe('Luhn', () => {
    it('accepts the networks\' test card numbers and the classic example', () => {
      for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '79927398713']) {
        assert.ok(luhnValid(n), n);
      }
    });
    it('rejects a changed digit, a transposition, empty input and non-digits', () => {
      assert.equal(luhnValid('4111111111111112'), false);
      assert.equal(luhnValid('79927398731'), false);
      assert.equal(luhnValid(''), false);
      assert.equal(luhnValid('4111 1111 1111 1111'), false); // digits only
      assert.equal(luhnValid('41111111111111a1'), false);
    });
    it('payment cards need grouping that makes sense, a known issuer and the check', () => {
      assert.ok(isPaymentCard('4111 1111 1111 1111'));
      assert.ok(isPaymentCard('4111-1111-1111-1111'));
      assert.ok(isPaymentCard('3782 822463 10005')); // Amex 4-6-5
      assert.ok(isPaymentCard('2223000048400011')); // Mastercard 2-series
      assert.equal(isPaymentCard('4111 1111 1111 1112'), false, 'Luhn fails');
      assert.equal(isPaymentCard('9111111111111111'), false, 'no such issuer');
      assert.equal(isPaymentCard('41111 1111 1111 111'), false, 'odd grouping');
      assert.equal(isPaymentCard('411111111111'), false, 'too short');
    });
  });

  describe('IBAN mod-97', () => {
    it('accepts the registry examples, with or without spaces, any case', () => {
      for (const iban of ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR14 2004 1010 0505 0001 3M02 606', 'NL91ABNA0417164300', 'ch9300762011623852957', 'NO9386011117947']) {
        assert.ok(ibanValid(iban), iban);
      }
    });
    it('computes mod 97 with letters as two digits (A = 10)', () => {
      // DE89 3704 0044 0532 0130 00 → 370400440532013000 DE 89 → …131489; remainder 1.
      assert.equal(mod97('370400440532013000DE89'), 1);
      assert.equal(mod97('A'), 10);
      assert.equal(mod97('a'), -1);
    });
    it('rejects a wrong check digit, a wrong length for the country, an unknown country', () => {
      assert.equal(ibanValid('GB82 WEST 1234 5698 7654 33'), false);
      assert.equal(ibanValid('DE8937040044053201300'), false, 'DE is 22 characters');
      assert.equal(ibanValid('ZZ82WEST12345698765432'), false);
      assert.equal(isIban('GB82 WEST 1234 5698 7654 32'), true);
      assert.equal(isIban('GB82-WEST-1234'), false);
    });
  });

  describe('US SSN', () => {
    it('accepts well-formed numbers with dashes or spaces', () => {
      assert.ok(isUsSsn('123-45-6789'));
      assert.ok(isUsSsn('123 45 6789'));
      assert.ok(isUsSsn('665-01-0001'));
    });
    it("rejects the SSA's never-issued areas, groups and serials and the advertising numbers", () => {
      for (const s of ['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000', '078-05-1120', '219-09-9999']) {
        assert.equal(isUsSsn(s), false, s);
      }
    });
    it('takes nine bare digits only when the header says ssn', () => {
      assert.equal(isUsSsn('123456789'), false);
      assert.equal(isUsSsn('123456789', { bare: true }), true);
      assert.equal(isUsSsn('000456789', { bare: true }), false);
    });
  });

  describe('other value tests', () => {
    it('emails', () => {
      for (const e of ['jane.doe@example.com', 'a+b@mail.example.co.uk', "o'brien@example.org"]) assert.ok(isEmail(e), e);
      for (const e of ['jane@', '@example.com', 'jane@example', 'jane..doe@example.com', 'jane doe@example.com', '.jane@example.com']) assert.equal(isEmail(e), false, e);
    });
    it('phone numbers need a recognisable layout (bare digits only with a header)', () => {
      for (const p of ['(212) 555-0100', '212-555-0100', '+1 212.555.0100', '+44 20 7946 0958', '020 7946 0958', '212-555-0100 x123']) assert.ok(isPhoneNumber(p), p);
      for (const p of ['2125550100', '2013-08-14', '123-45-6789', '1.234.567', '12345']) assert.equal(isPhoneNumber(p), false, p);
      assert.ok(isPhoneNumber('2125550100', { bare: true }));
    });
    it('IPv4 and IPv6', () => {
      for (const ip of ['192.168.1.1', '8.8.8.8', '255.255.255.255']) assert.ok(isIPv4(ip), ip);
      for (const ip of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5']) assert.equal(isIPv4(ip), false, ip);
      for (const ip of ['::1', '2001:db8::8a2e:370:7334', 'fe80::1%eth0', '::ffff:192.0.2.128', '2001:0db8:0000:0000:0000:ff00:0042:8329']) assert.ok(isIPv6(ip), ip);
      for (const ip of ['2001:db8::1::1', '12345::', 'g::1', '1:2:3:4:5:6:7', ':']) assert.equal(isIPv6(ip), false, ip);
    });
    it('street addresses', () => {
      for (const a of ['123 Main Street', '4 Elm Ave.', '1600 Pennsylvania Avenue NW', '221B Baker St', '12 Oak Lane, Apt 4', 'PO Box 123']) assert.ok(isStreetAddress(a), a);
      for (const a of ['Main Street', '123', 'Felony Battery (Dom Strang)', '25 - 45']) assert.equal(isStreetAddress(a), false, a);
    });
    it('dates and dates of birth', () => {
      assert.deepEqual(parseDateValue('1947-04-18'), { year: 1947, month: 4, day: 18 });
      assert.deepEqual(parseDateValue('04/18/1947'), { year: 1947, month: 4, day: 18 });
      assert.deepEqual(parseDateValue('18/04/1947'), { year: 1947, month: 4, day: 18 });
      assert.deepEqual(parseDateValue('April 18, 1947'), { year: 1947, month: 4, day: 18 });
      assert.deepEqual(parseDateValue('18 Apr 1947'), { year: 1947, month: 4, day: 18 });
      assert.equal(parseDateValue('1947-02-30'), undefined);
      assert.equal(parseDateValue('2024-02-29')?.day, 29);
      assert.equal(parseDateValue('2023-02-29'), undefined);
      assert.ok(isBirthDate('1947-04-18', new Date('2020-01-01')));
      assert.equal(isBirthDate('2031-01-01', new Date('2020-01-01')), false, 'in the future');
      assert.equal(isBirthDate('1850-01-01'), false);
    });
    it('person names: shape and the common-name lexicon', () => {
      for (const n of ['miguel hernandez', 'Smith, Jane', "O'Brien", 'Anne-Marie Dubois', 'José Álvarez']) assert.ok(isNameShaped(n), n);
      for (const n of ['A11', 'John 3', 'a b c d e', '', 'x'.repeat(61)]) assert.equal(isNameShaped(n), false, n);
      assert.ok(hasCommonNameWord('miguel hernandez'));
      assert.ok(hasCommonNameWord('Dr. Quux'));
      assert.equal(hasCommonNameWord('Caucasian'), false);
    });
  });

  describe('header hints', () => {
    it('splits identifiers', () => {
      assert.deepEqual(splitIdentifier('firstName'), ['first', 'name']);
      assert.deepEqual(splitIdentifier('DOB_2'), ['dob', '2']);
      assert.deepEqual(splitIdentifier('e-mail'), ['e', 'mail']);
      assert.deepEqual(splitIdentifier('IPAddress'), ['ip', 'address']);
    });
    const kinds = (h: string) => piiHeaderHints(h).map((x) => `${x.kind}:${x.strength}`);
    it('knows person-name headers, strong and weak, and not product names', () => {
      assert.deepEqual(kinds('name'), ['person-name:strong']);
      assert.deepEqual(kinds('first_name'), ['person-name:strong']);
      assert.deepEqual(kinds('first'), ['person-name:weak']);
      assert.deepEqual(kinds('last'), ['person-name:weak']);
      assert.deepEqual(kinds('customerName'), ['person-name:strong']);
      assert.deepEqual(kinds('product_name'), []);
      assert.deepEqual(kinds('file_name'), []);
      assert.deepEqual(kinds('region_first'), []);
    });
    it('knows the other kinds', () => {
      assert.deepEqual(kinds('dob'), ['date-of-birth:strong']);
      assert.deepEqual(kinds('date_of_birth'), ['date-of-birth:strong']);
      assert.deepEqual(kinds('birth_country'), [], 'a country of birth is not a date');
      assert.deepEqual(kinds('Email'), ['email:strong']);
      assert.deepEqual(kinds('phone_number'), ['phone:strong']);
      assert.deepEqual(kinds('SSN'), ['ssn:strong']);
      assert.deepEqual(kinds('iban'), ['iban:strong']);
      assert.deepEqual(kinds('ip_address'), ['ip-address:strong']);
      assert.deepEqual(kinds('home_address'), ['street-address:strong']);
      assert.deepEqual(kinds('address'), ['street-address:weak']);
      assert.deepEqual(kinds('email_address'), ['email:strong'], 'an email address is not a street address');
      assert.deepEqual(kinds('age'), []);
    });
  });

  describe('masking', () => {
    const samples: Record<PiiKind, string[]> = {
      email: ['john.doe@example.com', 'a@b.co', 'x@mail.example.org'],
      phone: ['(212) 555-0167', '+44 20 7946 0958', '2125550100'],
      ssn: ['123-45-6789', '123456789'],
      'payment-card': ['4111 1111 1111 1111', '4111111111111111', '3782 822463 10005'],
      iban: ['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432'],
      'ip-address': ['192.168.1.77', '2001:db8::8a2e:370:7334'],
      'person-name': ['miguel hernandez', 'Al', 'Smith, Jane'],
      'date-of-birth': ['1947-04-18', 'April 18, 1947'],
      'street-address': ['123 Main Street', '4 Elm Ave.'],
    };
    for (const [kind, values] of Object.entries(samples) as [PiiKind, string[]][]) {
      it(`never reveals a whole ${kind}`, () => {
        for (const v of values) {
          const m = maskPii(kind, v);
          assert.notEqual(m, v);
          assert.ok(!m.includes(v), `${m} contains ${v}`);
          assert.ok(m.includes('*'), m);
          const shown = (m.match(/[A-Za-z0-9]/g) ?? []).length;
          const total = (v.match(/[A-Za-z0-9]/g) ?? []).length;
          assert.ok(shown < total, `${m} shows ${shown} of ${total} characters of ${v}`);
        }
      });
    }
    it('keeps the documented parts', () => {
      assert.equal(maskPii('email', 'john.doe@example.com'), 'j***@e***.com');
      assert.equal(maskPii('ssn', '123-45-6789'), '***-**-6789');
      assert.equal(maskPii('payment-card', '4111 1111 1111 1111'), '**** **** **** 1111');
      assert.equal(maskPii('phone', '(212) 555-0167'), '(***) ***-**67');
      assert.equal(maskPii('person-name', 'miguel hernandez'), 'm*** h***');
      assert.equal(maskPii('date-of-birth', '1947-04-18'), '****-**-**');
      assert.equal(maskPii('ip-address', '192.168.1.77'), '192.***.***.***');
      assert.equal(maskPii('street-address', '123 Main Street'), '*** M*** Street');
    });
  });

  describe('column verdicts', () => {
    const col = (values: string[]) => values as (string | null)[];
    it('flags a column by values alone when most values match, and says what share', () => {
      const values = col([...Array.from({ length: 40 }, (_, i) => `user${i}@example.com`), ...Array.from({ length: 10 }, () => 'n/a')]);
      const [m] = detectPii('contact', values);
      assert.equal(m.kind, 'email');
      assert.equal(m.evidence, 'values');
      assert.equal(m.checked, 50);
      assert.equal(m.matched, 40);
      assert.equal(m.share, 0.8);
      assert.equal(m.example, 'u***@e***.com');
    });
    it('needs fewer matching values when the header names the kind', () => {
      const values = col([...Array.from({ length: 20 }, (_, i) => `(212) 555-01${String(i).padStart(2, '0')}`), ...Array.from({ length: 80 }, () => 'unknown')]);
      assert.deepEqual(detectPii('notes', values), []);
      const [m] = detectPii('phone', values);
      assert.equal(m.kind, 'phone');
      assert.equal(m.evidence, 'header+values');
      assert.equal(m.share, 0.2);
    });
    it('does not take ids, amounts, codes or dates for PII', () => {
      const ids = col(Array.from({ length: 200 }, (_, i) => String(4000000000000000 + i * 7919)));
      assert.deepEqual(detectPii('account_ref', ids), [], 'random 16-digit ids are not cards (Luhn fails most)');
      assert.deepEqual(detectPii('amount', col(Array.from({ length: 100 }, (_, i) => (i * 13.7).toFixed(2)))), []);
      assert.deepEqual(detectPii('screening_date', col(Array.from({ length: 100 }, () => '2013-08-14'))), [], 'a date without a birth header');
      assert.deepEqual(detectPii('telephone', col(Array.from({ length: 100 }, (_, i) => (i % 2 ? 'A191' : 'A192')))), [], 'German credit codes');
      assert.deepEqual(detectPii('race', col(Array.from({ length: 100 }, (_, i) => ['White', 'Black', 'Asian'][i % 3]))), []);
    });
    it('recognises person names from the lexicon, and needs a header or many distinct values', () => {
      const names = ['miguel hernandez', 'kevon dixon', 'ed philo', 'marcu brown', 'bouthy pierrelouis', 'marsha miles', 'edward riddle', 'steven stewart', 'elizabeth thieme', 'bo bradac'];
      const values = col(Array.from({ length: 100 }, (_, i) => names[i % names.length]));
      assert.equal(detectPii('name', values)[0]?.kind, 'person-name');
      assert.deepEqual(detectPii('applicant', values), [], 'only 10 distinct values and no header');
      const many = col(Array.from({ length: 100 }, (_, i) => `${['james', 'mary', 'john', 'linda', 'maria'][i % 5]} ${['smith', 'jones', 'garcia', 'nguyen'][i % 4]}${'x'.repeat(i % 7)}`));
      assert.equal(detectPii('applicant', many)[0]?.kind, 'person-name');
    });
    it('ignores missing and blank values, and returns nothing for an empty column', () => {
      assert.deepEqual(detectPii('email', [null, null, '  ']), []);
      const [m] = detectPii('email', [null, 'a@example.com', null, 'b@example.com']);
      assert.equal(m.checked, 2);
    });
  });
});
