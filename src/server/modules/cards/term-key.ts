/**
 * Pure text folding for cards: the key that makes one card per (user, language, term), and the text that
 * `q` searches. Both are computed in the service and stored, so the database compares plain strings.
 */

// Punctuation (\p{P}: ¿ ¡ « » ' " … - and the rest) and whitespace at either end of a term.
const EDGES = /^[\p{P}\s]+|[\p{P}\s]+$/gu;
const WHITESPACE_RUN = /\s+/gu;
const COMBINING_MARKS = /\p{M}/gu;

/**
 * The identity of a term within one language: NFC-normalised, surrounding punctuation and whitespace removed,
 * inner whitespace collapsed to one space, lower-cased by the rules of `language` (so Turkish-style casing
 * would be respected). Accents are kept: "si" and "sí" are different words. Inner punctuation stays
 * ("l'homme", "e-mail"). A term of nothing but punctuation folds to "" (the API refuses such terms).
 */
export function termKey(term: string, language: string): string {
  return term.normalize('NFC').replace(EDGES, '').replace(WHITESPACE_RUN, ' ').toLocaleLowerCase(language);
}

/**
 * Text folded for accent- and case-insensitive search: decomposed (NFD), combining marks removed, lower-cased.
 * "Café" and "cafe" both fold to "cafe". Apply it to the query as well as to the stored text.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/**
 * The stored search text of a card: its term, translation and context, folded, one per line (so a query does
 * not match across two fields unless it contains a newline itself).
 */
export function searchText(fields: (string | null | undefined)[]): string {
  return foldForSearch(fields.filter((f): f is string => !!f).join('\n'));
}

/**
 * A tag as stored: whitespace collapsed and trimmed, lower-cased, with no double quotes, backslashes or control
 * characters. Without quotes or backslashes a tag's JSON form is exactly `"tag"`, which makes the stored JSON
 * array searchable for one element with LIKE '%"tag"%' on both databases.
 */
export function normaliseTag(tag: string): string {
  return tag
    .replace(/["\\\p{Cc}]/gu, ' ')
    .replace(WHITESPACE_RUN, ' ')
    .trim()
    .toLowerCase();
}

/** Tags as stored: normalised, empty ones dropped, duplicates removed, first occurrence's order kept. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normaliseTag).filter((t) => t !== ''))];
}
