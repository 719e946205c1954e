// snowball-stemmers 0.6.0 ships no types; this is the part of its API we use.
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  /** `language` is an English language name: 'spanish', 'french', 'german', 'italian', 'portuguese', 'english', … */
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}
