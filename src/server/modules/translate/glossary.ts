import type { TargetLanguage } from '../../../shared/languages.js';
import type { Scenario } from '../../../shared/scenarios.js';
import { fold } from '../tutor/offline/text.js';

const ARTICLES: Record<TargetLanguage, string[]> = {
  es: ['el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas'],
  fr: ['le', 'la', 'les', "l'", 'un', 'une', 'des'],
  de: ['der', 'die', 'das', 'den', 'dem', 'ein', 'eine'],
  it: ['il', 'lo', 'la', "l'", 'i', 'gli', 'le', 'un', 'uno', 'una', "un'"],
  pt: ['o', 'a', 'os', 'as', 'um', 'uma'],
  en: ['the', 'a', 'an', 'to'],
};

/** A lookup key: folded (case, accents), apostrophes unified, trimmed of surrounding punctuation. */
function key(text: string): string {
  return fold(text.replace(/[’ʼ]/gu, "'"))
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/\s+/gu, ' ');
}

/** The term without its leading article: "la cuenta" → "cuenta", "l'addition" → "addition". */
function withoutArticle(language: TargetLanguage, term: string): string | null {
  const folded = key(term);
  for (const article of ARTICLES[language]) {
    if (article.endsWith("'") && folded.startsWith(article)) return folded.slice(article.length);
    if (folded.startsWith(`${article} `)) return folded.slice(article.length + 1);
  }
  return null;
}

/**
 * The offline translations the app has: every vocabulary item and essential phrase of the built-in scenarios,
 * from its language into English (their glosses). Words are found with or without their article.
 */
export class Glossary {
  private readonly entries = new Map<string, string>();

  constructor(scenarios: readonly Scenario[]) {
    for (const scenario of scenarios) {
      for (const phase of scenario.phases) {
        for (const [language, content] of Object.entries(phase.languages) as [
          TargetLanguage,
          NonNullable<(typeof phase.languages)['es']>,
        ][]) {
          for (const item of content.vocabulary) {
            this.add(language, key(item.term), item.gloss);
            const bare = withoutArticle(language, item.term);
            if (bare) this.add(language, bare, item.gloss);
          }
          for (const phrase of content.phrases) this.add(language, key(phrase.text), phrase.gloss);
        }
      }
    }
  }

  private add(language: TargetLanguage, term: string, gloss: string): void {
    const k = `${language}:${term}`;
    if (term && !this.entries.has(k)) this.entries.set(k, gloss);
  }

  /** The English gloss of `text` in `language`, if the catalogue has it. */
  toEnglish(language: TargetLanguage, text: string): string | null {
    return (
      this.entries.get(`${language}:${key(text)}`) ??
      this.entries.get(`${language}:${withoutArticle(language, text)}`) ??
      null
    );
  }
}
