/**
 * A cheap stand-in for tantivy's AsciiFoldingFilter (a port of Lucene's ASCIIFoldingFilter, a table
 * of ~1,500 characters): Latin letters with diacritics lose them (canonical decomposition, marks
 * dropped), the common Latin letters without a decomposition and ligatures get Lucene's ASCII
 * spelling, and typographic quotes/dashes become ASCII. Other scripts are left alone, as Lucene
 * leaves them. Rare symbols in Lucene's table (enclosed/fullwidth letters, superscripts, ...) are
 * not folded here.
 */
const special: Record<string, string> = {
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  ß: 'ss',
  ẞ: 'SS',
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'TH',
  þ: 'th',
  ı: 'i',
  Ħ: 'H',
  ħ: 'h',
  Ŋ: 'N',
  ŋ: 'n',
  Ŧ: 'T',
  ŧ: 't',
  ĸ: 'q',
  ſ: 's',
  Ƒ: 'F',
  ƒ: 'f',
  Ĳ: 'IJ',
  ĳ: 'ij',
  Ŀ: 'L',
  ŀ: 'l',
  ŉ: "'n",
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'st',
  ﬆ: 'st',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '…': '...',
};
const latinWithMarks = /[\u00c0-\u024f\u1e00-\u1eff]/;
const combiningMarks = /\p{M}/gu;

export function asciiFold(term: string): string {
  // tantivy folds only tokens that are not pure ASCII.
  if (/^[\u0000-\u007f]*$/.test(term)) return term;
  let out = '';
  for (const char of term) {
    const mapped = special[char];
    if (mapped !== undefined) out += mapped;
    else if (latinWithMarks.test(char)) out += char.normalize('NFD').replace(combiningMarks, '');
    else out += char;
  }
  return out;
}
