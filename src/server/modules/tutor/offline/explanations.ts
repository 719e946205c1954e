import type { NativeLanguage } from '../../../../shared/languages.js';

/**
 * Why a spelling correction was made, in the learner's native language. Templates exist for the six target
 * languages; every other native language gets English for now (the LLM engine can explain in any language).
 */

export type SpellingIssue = 'spelling' | 'accents' | 'capital' | 'lowercase';

type Templates = Record<SpellingIssue, (original: string, corrected: string) => string>;

const TEMPLATES: Partial<Record<NativeLanguage, Templates>> = {
  en: {
    spelling: (o, c) => `“${o}” is misspelled: it is written “${c}”.`,
    accents: (o, c) => `Check the accents in “${o}”: it is written “${c}”.`,
    capital: (_o, c) => `Write “${c}” with a capital letter.`,
    lowercase: (_o, c) => `Write “${c}” in lower case.`,
  },
  es: {
    spelling: (o, c) => `«${o}» está mal escrito: se escribe «${c}».`,
    accents: (o, c) => `Revisa los acentos de «${o}»: se escribe «${c}».`,
    capital: (_o, c) => `«${c}» se escribe con mayúscula.`,
    lowercase: (_o, c) => `«${c}» se escribe con minúscula.`,
  },
  fr: {
    spelling: (o, c) => `« ${o} » est mal orthographié : on écrit « ${c} ».`,
    accents: (o, c) => `Attention aux accents de « ${o} » : on écrit « ${c} ».`,
    capital: (_o, c) => `« ${c} » s’écrit avec une majuscule.`,
    lowercase: (_o, c) => `« ${c} » s’écrit avec une minuscule.`,
  },
  de: {
    spelling: (o, c) => `„${o}“ ist falsch geschrieben: Richtig ist „${c}“.`,
    accents: (o, c) => `Achte auf Akzente und Umlaute in „${o}“: Richtig ist „${c}“.`,
    capital: (_o, c) => `„${c}“ schreibt man groß.`,
    lowercase: (_o, c) => `„${c}“ schreibt man klein.`,
  },
  it: {
    spelling: (o, c) => `«${o}» è scritto male: si scrive «${c}».`,
    accents: (o, c) => `Attenzione agli accenti di «${o}»: si scrive «${c}».`,
    capital: (_o, c) => `«${c}» si scrive con la maiuscola.`,
    lowercase: (_o, c) => `«${c}» si scrive con la minuscola.`,
  },
  pt: {
    spelling: (o, c) => `“${o}” tem um erro de ortografia: escreve-se “${c}”.`,
    accents: (o, c) => `Atenção aos acentos em “${o}”: escreve-se “${c}”.`,
    capital: (_o, c) => `“${c}” escreve-se com letra maiúscula.`,
    lowercase: (_o, c) => `“${c}” escreve-se com letra minúscula.`,
  },
};

/** The kind of mistake: only capitalisation, only accents (or other marks), or the letters themselves. */
export function spellingIssue(original: string, corrected: string): SpellingIssue {
  if (original.toLowerCase() === corrected.toLowerCase()) {
    const first = corrected.charAt(0);
    return first !== first.toLowerCase() ? 'capital' : 'lowercase';
  }
  const strip = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return strip(original) === strip(corrected) ? 'accents' : 'spelling';
}

/** The explanation of replacing `original` by `corrected`, in `nativeLanguage` (English when there is none). */
export function explainSpelling(nativeLanguage: NativeLanguage, original: string, corrected: string): string {
  const templates = TEMPLATES[nativeLanguage] ?? TEMPLATES.en!;
  return templates[spellingIssue(original, corrected)](original, corrected);
}
