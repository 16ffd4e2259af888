/**
 * Text → BibTeX field text. Special characters are always escaped, so no record can
 * inject LaTeX (`\input`, `\write18`) or break out of its braces; with `ascii`, every
 * non-ASCII character becomes a LaTeX command, and the ones that have none are reported.
 */

/** Characters BibTeX and LaTeX treat specially, and what stands for them. */
const SPECIAL: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  // BibTeX counts braces even after a backslash: `\}` would unbalance the field
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // in LaTeX's default font encoding these print as ¡ ¿ —
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};
const SPECIAL_RE = /[\\{}&%$#_~^<>|]/g;

/** Anything `latex` would change: a special, a line end or control character, a dash ligature. */
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\\{}&%$#_~^<>|\x00-\x1f\x7f]|--/;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** Combining marks and the LaTeX accent commands that put them on a letter. */
const ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030A': 'r',
  '\u030B': 'H',
  '\u030C': 'v',
  '\u0323': 'd',
  '\u0327': 'c',
  '\u0328': 'k',
  '\u0331': 'b',
};

/** Characters with a LaTeX command of their own. */
const SYMBOLS: Readonly<Record<string, string>> = {
  ß: '{\\ss}', æ: '{\\ae}', Æ: '{\\AE}', œ: '{\\oe}', Œ: '{\\OE}', ø: '{\\o}', Ø: '{\\O}',
  ł: '{\\l}', Ł: '{\\L}', ı: '{\\i}', ȷ: '{\\j}', å: '{\\aa}', Å: '{\\AA}', ð: '{\\dh}', Ð: '{\\DH}',
  þ: '{\\th}', Þ: '{\\TH}', đ: '{\\dj}', Đ: '{\\DJ}',
  '\u00A0': '~', '\u2009': '\\,', '\u202F': '\\,', '\u2002': '\\enspace{}', '\u2003': '\\quad{}',
  '–': '--', '—': '---', '‐': '-', '‑': '-', '‒': '--', '−': '$-$',
  '‘': '`', '’': "'", '‚': ',', '“': '``', '”': "''", '„': ',,', '«': '{\\guillemotleft}', '»': '{\\guillemotright}',
  '…': '{\\ldots}', '•': '{\\textbullet}', '·': '{\\textperiodcentered}', '†': '{\\dag}', '‡': '{\\ddag}',
  '©': '{\\textcopyright}', '®': '{\\textregistered}', '™': '{\\texttrademark}', '°': '{\\textdegree}',
  '§': '{\\S}', '¶': '{\\P}', '€': '{\\texteuro}', '£': '{\\pounds}', '¥': '{\\textyen}', '¢': '{\\textcent}',
  '¿': '{\\textquestiondown}', '¡': '{\\textexclamdown}', 'ª': '{\\textordfeminine}', 'º': '{\\textordmasculine}',
  '′': "$'$", '″': "$''$", '‰': '{\\textperthousand}', '¹': '$^{1}$', '²': '$^{2}$', '³': '$^{3}$',
  '±': '$\\pm$', '×': '$\\times$', '÷': '$\\div$', '≤': '$\\leq$', '≥': '$\\geq$', '≠': '$\\neq$',
  '≈': '$\\approx$', '∼': '$\\sim$', '≅': '$\\cong$', '≡': '$\\equiv$', '∞': '$\\infty$', '√': '$\\surd$',
  '→': '$\\rightarrow$', '←': '$\\leftarrow$', '↑': '$\\uparrow$', '↓': '$\\downarrow$', '↔': '$\\leftrightarrow$',
  '∑': '$\\sum$', '∏': '$\\prod$', '∫': '$\\int$', '∂': '$\\partial$', '∆': '$\\Delta$', '∇': '$\\nabla$',
  '∈': '$\\in$', '∩': '$\\cap$', '∪': '$\\cup$', '⊂': '$\\subset$', '∝': '$\\propto$', '∗': '$\\ast$',
  'µ': '$\\mu$', '½': '$\\frac{1}{2}$', '¼': '$\\frac{1}{4}$', '¾': '$\\frac{3}{4}$',
  α: '$\\alpha$', β: '$\\beta$', γ: '$\\gamma$', δ: '$\\delta$', ε: '$\\epsilon$', ζ: '$\\zeta$', η: '$\\eta$',
  θ: '$\\theta$', ι: '$\\iota$', κ: '$\\kappa$', λ: '$\\lambda$', μ: '$\\mu$', ν: '$\\nu$', ξ: '$\\xi$',
  π: '$\\pi$', ρ: '$\\rho$', σ: '$\\sigma$', ς: '$\\varsigma$', τ: '$\\tau$', υ: '$\\upsilon$', φ: '$\\phi$',
  χ: '$\\chi$', ψ: '$\\psi$', ω: '$\\omega$', Γ: '$\\Gamma$', Δ: '$\\Delta$', Θ: '$\\Theta$', Λ: '$\\Lambda$',
  Ξ: '$\\Xi$', Π: '$\\Pi$', Σ: '$\\Sigma$', Υ: '$\\Upsilon$', Φ: '$\\Phi$', Ψ: '$\\Psi$', Ω: '$\\Omega$',
};

export interface LatexOptions {
  /** Write ASCII only; characters with no LaTeX form are replaced by `?` and reported. */
  readonly ascii: boolean;
  /** Receives each character that could not be written in ASCII. */
  readonly unconvertible?: (char: string) => void;
}

/** Escapes BibTeX/LaTeX specials; in ASCII mode also converts every other character. */
export function latex(text: string, options: LatexOptions): string {
  // most values hold nothing to escape: one scan says so, and the text is written as it is
  if (!NEEDS_WORK.test(text) && (!options.ascii || !NON_ASCII.test(text))) return text;
  const escaped = text
    .replace(SPECIAL_RE, (ch) => SPECIAL[ch]!)
    .replace(/[\r\n]+/g, ' ')
    // `--` and `---` are dash ligatures in TeX; the record's hyphens stay hyphens
    .replace(/-(?=-)/g, '-{}');
  // control characters (NUL, ESC, …) cannot stand in TeX input at all: reported, written as `?`
  // eslint-disable-next-line no-control-regex
  const clean = /[\x00-\x08\x0B-\x1F\x7F]/.test(escaped) ? escaped.replace(/[\x00-\x08\x0B-\x1F\x7F]/g, (ch) => unconvertible(ch, options)) : escaped;
  // eslint-disable-next-line no-control-regex
  if (!options.ascii || /^[\x00-\x7F]*$/.test(clean)) return clean.replace(/\t/g, ' ');
  let out = '';
  for (const ch of clean.replace(/\t/g, ' ').normalize('NFC')) {
    out += ch.charCodeAt(0) < 0x80 ? ch : asciiFor(ch, options);
  }
  return out;
}

function asciiFor(ch: string, options: LatexOptions): string {
  const symbol = SYMBOLS[ch];
  if (symbol !== undefined) return symbol;
  const [base, ...marks] = ch.normalize('NFD');
  if (base !== undefined && base.charCodeAt(0) < 0x80 && marks.length > 0 && marks.every((m) => ACCENTS[m] !== undefined)) {
    let letter = base === 'i' ? '\\i' : base === 'j' ? '\\j' : base;
    for (const mark of marks) letter = `\\${ACCENTS[mark]!}{${letter}}`;
    return `{${letter}}`;
  }
  return unconvertible(ch, options);
}

function unconvertible(ch: string, options: LatexOptions): string {
  options.unconvertible?.(ch);
  return '?';
}

/** ASCII-folds a word for citation keys: `Müller` → `Muller`, `Łukasz` → `Lukasz`. */
export function asciiFold(text: string): string {
  if (PLAIN_WORD.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæÆœŒøØłŁđĐþÞð]/g, (ch) => FOLD[ch] ?? '')
    .replace(/[^A-Za-z0-9]/g, '');
}

const PLAIN_WORD = /^[A-Za-z0-9]*$/;

const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'TH', ð: 'd',
};
