/**
 * The canonical form of a permit number (protocol-spec/permit-profile.md §2.1).
 * One number on paper must be one key in every ledger: issue 16 issued
 * `26TH015809`, then `26th015809`, `26TH015809.`, `26TH 015809` and
 * `026TH015809` as four more permits, each usable once. Every path that
 * takes a number in (HTTP, CLI, eCITES import, wire, replicated events)
 * keys and compares it through {@link canonicalPermitNumber}.
 */

/** A canonical number: 1..64 of A-Z and 0-9, no leading zero (but "0" itself). */
export const CANONICAL_PERMIT_NUMBER_RE = /^(?:0|[1-9A-Z][0-9A-Z]{0,63})$/

/** The longest canonical number. */
export const MAX_PERMIT_NUMBER_LENGTH = 64

/** Longer input is refused before any Unicode work (bounded cost per request). */
const MAX_INPUT_LENGTH = 256

/**
 * Cyrillic and Greek letters drawn like a Latin letter or a digit, folded to
 * it (from Unicode's confusables.txt, UTS #39, restricted to glyphs that are
 * the same in common fonts). A look-alike letter outside this table is not
 * folded but refused, because nothing outside A-Z and 0-9 survives.
 */
const CONFUSABLES: Readonly<Record<string, string>> = Object.freeze({
  // Cyrillic capitals
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', І: 'I', Ӏ: 'I', Ј: 'J', К: 'K', М: 'M', О: 'O', Р: 'P', Ѕ: 'S', Т: 'T', Х: 'X', У: 'Y', Ү: 'Y', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', З: '3',
  // Cyrillic small letters
  а: 'a', с: 'c', е: 'e', һ: 'h', і: 'i', ӏ: 'l', ј: 'j', о: 'o', р: 'p', ѕ: 's', х: 'x', у: 'y', ү: 'y', ԁ: 'd', ԛ: 'q', ԝ: 'w', б: '6',
  // Greek capitals
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C', Ϳ: 'J',
  // Greek small letters
  ο: 'o', ν: 'v', ι: 'i', α: 'a', ρ: 'p', γ: 'y', ϲ: 'c', ϳ: 'j'
})

// Not significant: white space, punctuation (dots, dashes, slashes, ...) and
// invisible format characters (zero-width space and joiners, soft hyphen,
// bidirectional marks), which print as nothing or as a separator.
const IGNORED_RE = /[\s\p{Z}\p{P}\p{Cf}]/gu
const FOLD_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu')
const ASCII_ALNUM_RE = /^[0-9A-Za-z]*$/

/**
 * The canonical form of a permit number, or `undefined` when it has none
 * (then it is not a permit number: refused at issue, found nowhere):
 *
 * 1. Cyrillic and Greek look-alikes fold to the Latin letter or digit, and
 *    Unicode NFKC folds fullwidth, circled, mathematical and superscript
 *    forms to ASCII (look-alikes are folded before and after NFKC);
 * 2. white space, punctuation and format characters are dropped;
 * 3. what remains must be ASCII letters and digits: letters are upper-cased;
 * 4. leading zeros are dropped (keeping one digit for an all-zero number);
 * 5. the result is 1..64 characters.
 *
 * Idempotent, and the identity on a canonical number (`26CH000123`).
 */
export function canonicalPermitNumber (s: string): string | undefined {
  if (s.length > MAX_INPUT_LENGTH) return undefined
  if (CANONICAL_PERMIT_NUMBER_RE.test(s)) return s // the common case, and old ledgers' keys, unchanged
  // Folded before NFKC too: it maps some twins (Greek lunate sigma Ϲ) to letters that are no one's twin (Σ).
  const fold = (t: string): string => t.replace(FOLD_RE, (c) => CONFUSABLES[c] ?? c)
  const folded = fold(fold(s).normalize('NFKC')).replace(IGNORED_RE, '')
  if (!ASCII_ALNUM_RE.test(folded)) return undefined
  const upper = folded.toUpperCase().replace(/^0+(?=.)/, '')
  return upper.length >= 1 && upper.length <= MAX_PERMIT_NUMBER_LENGTH ? upper : undefined
}

/** Is `s` already in canonical form? */
export function isCanonicalPermitNumber (s: string): boolean {
  return CANONICAL_PERMIT_NUMBER_RE.test(s)
}

/** Do two spellings name the same permit number? False when either has no canonical form. */
export function samePermitNumber (a: string, b: string): boolean {
  const ca = canonicalPermitNumber(a)
  return ca !== undefined && ca === canonicalPermitNumber(b)
}
