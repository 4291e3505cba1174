/**
 * Homoglyph folding table: characters that NFKC leaves alone but that render like ASCII.
 * Each row is [ASCII target, characters that look like it]. Case is preserved where the
 * lookalike has a case; Latin small capitals fold to lower case.
 */
const ROWS: ReadonlyArray<readonly [string, string]> = [
  // Lower-case letters: Cyrillic, Greek, Armenian, IPA and Latin small capitals.
  ['a', 'аɑα⍺ᴀ'],
  ['b', 'ьЬƅʙ'],
  ['c', 'сϲᴄ'],
  ['d', 'ԁᴅ'],
  ['e', 'еҽεᴇ℮'],
  ['f', 'ꜰ'],
  ['g', 'ɡցɢ'],
  ['h', 'һհʜ'],
  ['i', 'іıɩɪι'],
  ['j', 'јϳȷᴊ'],
  ['k', 'кκᴋ'],
  ['l', 'ӏǀƖʟ'],
  ['m', 'мᴍ'],
  ['n', 'ոпɴη'],
  ['o', 'оοօᴏ'],
  ['p', 'рρᴘ'],
  ['q', 'ԛզ'],
  ['r', 'гʀᴦ'],
  ['s', 'ѕꜱ'],
  ['t', 'тτᴛ'],
  ['u', 'υսμᴜ'],
  ['v', 'νѵᴠ'],
  ['w', 'ԝωѡᴡ'],
  ['x', 'хχ'],
  ['y', 'уүγʏ'],
  ['z', 'ᴢ'],
  // Upper-case letters: Cyrillic, Greek, Armenian, Cherokee and Lisu.
  ['A', 'АΑᎪꓮ'],
  ['B', 'ВΒᏴꓐ'],
  ['C', 'СϹᏟꓚ'],
  ['D', 'Ꭰꓓ'],
  ['E', 'ЕΕᎬꓰ'],
  ['F', 'Ϝꓝ'],
  ['G', 'ԌᏀꓖ'],
  ['H', 'НΗᎻꓧ'],
  ['I', 'ІΙӀꓲ'],
  ['J', 'ЈͿᎫꓙ'],
  ['K', 'КΚᏦꓗ'],
  ['L', 'Ꮮꓡ'],
  ['M', 'МΜᎷꓟ'],
  ['N', 'Νꓠ'],
  ['O', 'ОΟՕꓳ'],
  ['P', 'РΡᏢꓑ'],
  ['Q', 'Ԛ'],
  ['R', 'ᎡᏒꓣ'],
  ['S', 'ЅՏᏚꓢ'],
  ['T', 'ТΤᎢꓔ'],
  ['U', 'Սꓴ'],
  ['V', 'ѴᏙꓦ'],
  ['W', 'ԜᏔꓪ'],
  ['X', 'ХΧꓫ'],
  ['Y', 'УΥҮꓬ'],
  ['Z', 'ΖᏃꓜ'],
  // Punctuation and spacing.
  ['-', '\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58'],
  ["'", '\u02b9\u02bb\u02bc\u02bd\u02c8\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\ua78c'],
  ['"', '\u00ab\u00bb\u05f4\u201c\u201d\u201e\u201f\u2033\u2036'],
  [' ', '\u1680\u2800'],
  ['\n', '\u0085\u2028\u2029'],
  ['/', '\u2044\u2215\u29f8'],
  ['\\', '\u2216\u29f9'],
  ['!', '\u01c3'],
  [':', '\u0589\u05c3\u2236'],
  ['*', '\u204e\u2217'],
  ['<', '\u02c2'],
  ['>', '\u02c3'],
];

/** Code point -> ASCII replacement for every lookalike we fold. */
const TABLE: ReadonlyMap<number, string> = buildTable();

function buildTable(): Map<number, string> {
  const table = new Map<number, string>();
  for (const [target, sources] of ROWS) {
    for (const ch of sources) table.set(ch.codePointAt(0)!, target);
  }
  // Enclosed letters NFKC has no decomposition for: negative circled/squared capitals, regional indicators.
  for (let i = 0; i < 26; i++) {
    const letter = String.fromCharCode(0x41 + i);
    table.set(0x1f150 + i, letter);
    table.set(0x1f170 + i, letter);
    table.set(0x1f1e6 + i, letter);
  }
  return table;
}

/** 1 for BMP code points with a table entry: lets folding skip the Map for almost every character. */
const BMP_HIT: Uint8Array = (() => {
  const bits = new Uint8Array(0x10000);
  for (const cp of TABLE.keys()) if (cp < 0x10000) bits[cp] = 1;
  return bits;
})();

/** The ASCII replacement for one code point, or undefined when it is not a known lookalike. */
export function confusableFor(cp: number): string | undefined {
  if (cp < 0x10000 && BMP_HIT[cp] === 0) return undefined;
  return TABLE.get(cp);
}

/** Number of folded code points; exported so tests can assert the table stays sizeable. */
export const CONFUSABLE_COUNT: number = TABLE.size;

/** Folds every known lookalike in `s` to ASCII, per code point; returns `s` itself when nothing changes. */
export function foldConfusables(s: string): string {
  let out: string | undefined;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const repl = confusableFor(cp);
    if (repl !== undefined) {
      out = (out ?? '') + s.slice(last, i) + repl;
      last = i + width;
    }
    i += width - 1;
  }
  return out === undefined ? s : out + s.slice(last);
}
