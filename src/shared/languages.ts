/**
 * The languages a learner can study. Adding a language here makes it valid everywhere
 * (API validation, the web UI's pickers, the database has no enum to migrate).
 */
export const TARGET_LANGUAGES = ['es', 'fr', 'de', 'it', 'pt', 'en'] as const;
export type TargetLanguage = (typeof TARGET_LANGUAGES)[number];

/** Languages a learner can receive explanations in (their native language). */
export const NATIVE_LANGUAGES = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'nl',
  'pl',
  'ru',
  'uk',
  'tr',
  'ar',
  'hi',
  'zh',
  'ja',
  'ko',
  'sv',
  'ro',
  'el',
  'cs',
] as const;
export type NativeLanguage = (typeof NATIVE_LANGUAGES)[number];

/** English names, for pickers. Browsers can localise with Intl.DisplayNames; this is the fallback. */
export const LANGUAGE_NAMES: Record<NativeLanguage, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
  pl: 'Polish',
  ru: 'Russian',
  uk: 'Ukrainian',
  tr: 'Turkish',
  ar: 'Arabic',
  hi: 'Hindi',
  zh: 'Chinese',
  ja: 'Japanese',
  ko: 'Korean',
  sv: 'Swedish',
  ro: 'Romanian',
  el: 'Greek',
  cs: 'Czech',
};
