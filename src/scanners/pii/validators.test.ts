import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aadhaarValid, abaValid, cardIssuer, cardIssuerOf, cardValid, digitCount, digitsOf, ibanValid, itinValid, luhnValid, nhsValid, ninoValid, panValid, ssnValid, vatValid, verhoeffValid } from './validators.ts';

type Case = [validator: (value: string) => boolean, value: string, expected: boolean, why: string];

const cases: Case[] = [
  [luhnValid, '79927398713', true, 'Luhn reference number'],
  [luhnValid, '79927398710', false, 'wrong check digit'],
  [cardValid, '4111111111111111', true, 'Visa test number'],
  [cardValid, '5555555555554444', true, 'Mastercard test number'],
  [cardValid, '378282246310005', true, 'Amex test number'],
  [cardValid, '6011111111111117', true, 'Discover test number'],
  [cardValid, '3530111333300000', true, 'JCB test number'],
  [cardValid, '4111111111111112', false, 'Luhn fails'],
  [cardValid, '1234567812345678', false, 'no issuer starts with 1'],
  [cardValid, '0000000000000000', false, 'Luhn-valid zeros, no issuer'],
  [cardValid, '41111111111', false, 'too short'],
  [ibanValid, 'DE89370400440532013000', true, 'German example'],
  [ibanValid, 'GB82 WEST 1234 5698 7654 32', true, 'spaces allowed'],
  [ibanValid, 'fr1420041010050500013m02606', true, 'lowercase folded'],
  [ibanValid, 'GB82WEST12345698765433', false, 'mod-97 fails'],
  [ibanValid, 'DE8937040044053201300', false, 'wrong length for DE'],
  [ibanValid, 'XX89370400440532013000', false, 'unknown country'],
  [ssnValid, '536221234', true, 'ordinary SSN'],
  [ssnValid, '000221234', false, 'area 000'],
  [ssnValid, '666221234', false, 'area 666'],
  [ssnValid, '912701234', false, 'area 900-999 (ITIN range)'],
  [ssnValid, '536001234', false, 'group 00'],
  [ssnValid, '536220000', false, 'serial 0000'],
  [itinValid, '912701234', true, 'group 70'],
  [itinValid, '912931234', false, 'group 93 not issued'],
  [itinValid, '812701234', false, 'must start with 9'],
  [abaValid, '011000015', true, 'Federal Reserve Bank of Boston'],
  [abaValid, '021000021', true, 'checksum 3-7-1'],
  [abaValid, '011000016', false, 'checksum fails'],
  [abaValid, '991000015', false, 'prefix 99 unassigned'],
  [nhsValid, '9434765919', true, 'NHS example'],
  [nhsValid, '9434765918', false, 'mod-11 fails'],
  [ninoValid, 'AB123456C', true, 'valid prefix and suffix'],
  [ninoValid, 'AB 12 34 56 C', true, 'spaced'],
  [ninoValid, 'GB123456C', false, 'GB prefix not allocated'],
  [ninoValid, 'DA123456C', false, 'D not allowed first'],
  [ninoValid, 'AB123456E', false, 'suffix beyond D'],
  [verhoeffValid, '2363', true, 'Verhoeff reference (236 + check 3)'],
  [verhoeffValid, '2364', false, 'wrong check digit'],
  [aadhaarValid, '234567890124', true, 'Verhoeff valid, starts 2-9'],
  [aadhaarValid, '234567890125', false, 'Verhoeff fails'],
  [aadhaarValid, '134567890124', false, 'cannot start with 1'],
  [panValid, 'ABCPE1234F', true, 'individual (P)'],
  [panValid, 'ABCXE1234F', false, 'holder type X unknown'],
  [panValid, 'ABCPE12345', false, 'last must be a letter'],
  [vatValid, 'DE136695976', true, 'German VAT (ISO 7064 mod 11,10)'],
  [vatValid, 'DE136695977', false, 'German check fails'],
  [vatValid, 'IT00743110157', true, 'Italian VAT (Luhn)'],
  [vatValid, 'BE0403170701', true, 'Belgian VAT (mod 97)'],
  [vatValid, 'PL5260250274', true, 'Polish VAT (weights)'],
  [vatValid, 'NL004495445B01', true, 'Dutch VAT (mod 11)'],
  [vatValid, 'FR40303265045', true, 'French VAT key'],
  [vatValid, 'FR41303265045', false, 'French key fails'],
  [vatValid, 'ES12345678Z', false, 'countries without a checksum here are not claimed'],
];

describe('pii validators', () => {
  for (const [validator, value, expected, why] of cases) {
    it(`${validator.name}(${value}) is ${expected}: ${why}`, () => assert.equal(validator(value), expected));
  }
  it('names the card issuer', () => {
    assert.equal(cardIssuer('4111111111111111'), 'visa');
    assert.equal(cardIssuer('5555555555554444'), 'mastercard');
    assert.equal(cardIssuer('378282246310005'), 'amex');
    assert.equal(cardIssuer('9111111111111111'), undefined);
    // Prefixes are read as numbers even when the value is not all digits (Number of the first k characters).
    assert.equal(cardIssuer('4111 1111 1111'), cardIssuer('4111'));
    assert.equal(cardIssuer('37 8282246310005'), undefined);
    assert.equal(cardIssuer(''), undefined);
  });

  it('reads digits and issuer prefixes as the string forms do', () => {
    let s = 7;
    const rand = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = '0123456789 -a';
    const prefixes = ['', '4', '5', '34', '37', '6011', '65', '644', '622126', '3528', '36', '300', '2131', '1800', '62', '50', '56', '2221', '2720'];
    for (let k = 0; k < 20000; k++) {
      let value = prefixes[Math.floor(rand() * prefixes.length)]!;
      for (let n = Math.floor(rand() * 20); n > 0; n--) value += alphabet[Math.floor(rand() * (rand() < 0.9 ? 10 : alphabet.length))];
      const digits = value.replace(/[^0-9]/g, '');
      assert.equal(digitsOf(value), digits);
      assert.equal(digitCount(value), digits.length);
      assert.equal(luhnValid(value), /^[0-9]{2,}$/.test(value) && luhnValid(digits), value);
      assert.equal(cardIssuer(value), cardIssuerOf(value), value);
    }
  });
});
