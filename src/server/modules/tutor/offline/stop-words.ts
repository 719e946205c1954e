import type { TargetLanguage } from '../../../../shared/languages.js';

/**
 * Small per-language lists of function words (articles, prepositions, conjunctions, pronouns, the commonest
 * forms of "to be"), written as comparison keys: folded (no accents, lower case) and without apostrophes, so
 * "l'" is "l" and "você" is "voce". They decide which words of an essential phrase are its content words and
 * which leading words of a vocabulary term are articles. Deliberately short: a verb or noun wrongly listed here
 * would make phrases easier to "use" than they are.
 */
const STOP_WORDS: Record<TargetLanguage, string> = {
  es: `el la los las lo un una unos unas al del de a en con por para sin sobre entre hasta desde y e o u ni que
    se me te le les nos os mi mis tu tus su sus yo usted ustedes nosotros nosotras ella ellos ellas es son soy`,
  fr: `le la les l un une des du de d a au aux en dans sur sous avec pour par sans chez et ou mais que qu qui je
    j tu il elle on nous vous ils elles me m te t se s ce c ca cela mon ma mes ton ta tes son sa ses notre votre
    nos vos leur leurs y ne n est sont suis es`,
  de: `der die das den dem des ein eine einen einem einer eines und oder aber in im an am auf aus bei mit nach
    von vom zu zum zur fur uber um ich du er sie es wir ihr mich dich mir dir sich uns euch mein meine dein
    deine sein seine ist sind bin bist`,
  it: `il lo la i gli le l un uno una di del della dei degli delle dello dell a al alla ai agli alle allo all da
    dal dalla dai in nel nella nei nell con su sul sulla per tra fra e ed o ma che chi io tu lui lei noi voi
    loro mi ti si ci vi ne mio mia tuo tua suo sua sono`,
  pt: `o a os as um uma uns umas de do da dos das em no na nos nas num numa por pelo pela para com sem ao aos e
    ou mas que se me te lhe vos eu tu ele ela voce voces eles elas meu minha seu sua sao sou`,
  en: `the a an and or but to of in on at for with from by as is are am be it i you he she we they me him her us
    them my your his its our their this that these those`,
};

/** Articles (and English "to" before a verb) that may open a vocabulary term: "la cuenta", "to pay". */
const LEADING_ARTICLES: Record<TargetLanguage, string> = {
  es: 'el la los las lo un una unos unas',
  fr: 'le la les l un une des du',
  de: 'der die das den dem des ein eine einen',
  it: 'il lo la i gli le l un uno una',
  pt: 'o a os as um uma uns umas',
  en: 'the a an to',
};

function toSets(lists: Record<TargetLanguage, string>): Record<TargetLanguage, ReadonlySet<string>> {
  const words = (l: TargetLanguage) => new Set(lists[l].trim().split(/\s+/u));
  return { es: words('es'), fr: words('fr'), de: words('de'), it: words('it'), pt: words('pt'), en: words('en') };
}

const STOP_WORD_SETS = toSets(STOP_WORDS);
const ARTICLE_SETS = toSets(LEADING_ARTICLES);

/** Whether `key` (a token's comparison key) is a function word of `language`. */
export function isStopWord(language: TargetLanguage, key: string): boolean {
  return STOP_WORD_SETS[language].has(key);
}

/** Whether `key` is an article that may open a vocabulary term in `language`. */
export function isLeadingArticle(language: TargetLanguage, key: string): boolean {
  return ARTICLE_SETS[language].has(key);
}
