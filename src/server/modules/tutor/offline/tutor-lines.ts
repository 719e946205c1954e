import type { TargetLanguage } from '../../../../shared/languages.js';

/**
 * The offline tutor's own words, in the target language: short acknowledgements, the nudge that re-asks and
 * suggests a phrase, a closing line for a finished scenario, and free-mode prompts. Everything else the tutor
 * says comes from the scenario's tutor lines or the free topics. Scenario lines use the polite register
 * (usted, vous, Sie, Lei), as the scenarios' service roles do; the free-mode lines the familiar one (tú, tu, du),
 * as the free topics do.
 */

export interface TutorLines {
  acknowledgements: readonly string[];
  /** Opens a nudge: the tutor did not recognise the message. */
  notUnderstood: string;
  /** Offers an essential phrase: `{phrase}` is replaced. */
  suggestPhrase: string;
  /** Offers a vocabulary item when only the vocabulary requirement is missing. */
  suggestWord: string;
  /** After the last phase. */
  closing: string;
  /** Free mode (familiar register): asks for more when the message was empty. */
  sayMore: string;
  /** Free mode: moves on to another topic. */
  newTopic: string;
  /** Free mode: ways to answer any question, offered as hints (English glosses). */
  freeHints: readonly { text: string; gloss: string }[];
}

export const TUTOR_LINES: Record<TargetLanguage, TutorLines> = {
  es: {
    acknowledgements: ['Muy bien.', 'Perfecto.', 'De acuerdo.', 'Estupendo.'],
    notUnderstood: 'Perdone, no le he entendido bien.',
    suggestPhrase: 'Puede decir, por ejemplo: «{phrase}»',
    suggestWord: 'Intente usar la palabra «{phrase}».',
    closing: '¡Muchas gracias! ¡Hasta pronto!',
    sayMore: '¿Me cuentas un poco más?',
    newTopic: 'Hablemos de otra cosa.',
    freeHints: [
      { text: 'Me gusta mucho porque…', gloss: 'I like it a lot because…' },
      { text: 'No estoy seguro. ¿Y tú?', gloss: "I'm not sure. And you?" },
      { text: '¿Puedes repetirlo más despacio, por favor?', gloss: 'Can you say it again more slowly, please?' },
    ],
  },
  fr: {
    acknowledgements: ['Très bien.', 'Parfait.', 'D’accord.', 'Entendu.'],
    notUnderstood: 'Pardon, je n’ai pas bien compris.',
    suggestPhrase: 'Vous pouvez dire, par exemple : « {phrase} »',
    suggestWord: 'Essayez d’utiliser le mot « {phrase} ».',
    closing: 'Merci beaucoup ! À bientôt !',
    sayMore: 'Tu peux m’en dire un peu plus ?',
    newTopic: 'Parlons d’autre chose.',
    freeHints: [
      { text: "J'aime beaucoup parce que…", gloss: 'I like it a lot because…' },
      { text: 'Je ne suis pas sûr. Et toi ?', gloss: "I'm not sure. And you?" },
      { text: "Tu peux répéter plus lentement, s'il te plaît ?", gloss: 'Can you say it again more slowly, please?' },
    ],
  },
  de: {
    acknowledgements: ['Sehr gut.', 'Perfekt.', 'In Ordnung.', 'Alles klar.'],
    notUnderstood: 'Entschuldigung, das habe ich nicht ganz verstanden.',
    suggestPhrase: 'Sie können zum Beispiel sagen: „{phrase}“',
    suggestWord: 'Versuchen Sie, das Wort „{phrase}“ zu benutzen.',
    closing: 'Vielen Dank! Bis bald!',
    sayMore: 'Kannst du mir ein bisschen mehr erzählen?',
    newTopic: 'Sprechen wir über etwas anderes.',
    freeHints: [
      { text: 'Das gefällt mir sehr, weil …', gloss: 'I like it a lot because…' },
      { text: 'Ich bin nicht sicher. Und du?', gloss: "I'm not sure. And you?" },
      { text: 'Kannst du das bitte langsamer wiederholen?', gloss: 'Can you say it again more slowly, please?' },
    ],
  },
  it: {
    acknowledgements: ['Molto bene.', 'Perfetto.', 'D’accordo.', 'Benissimo.'],
    notUnderstood: 'Scusi, non ho capito bene.',
    suggestPhrase: 'Può dire, per esempio: «{phrase}»',
    suggestWord: 'Provi a usare la parola «{phrase}».',
    closing: 'Grazie mille! A presto!',
    sayMore: 'Mi racconti qualcosa di più?',
    newTopic: 'Parliamo d’altro.',
    freeHints: [
      { text: 'Mi piace molto perché…', gloss: 'I like it a lot because…' },
      { text: 'Non sono sicuro. E tu?', gloss: "I'm not sure. And you?" },
      { text: 'Puoi ripetere più lentamente, per favore?', gloss: 'Can you say it again more slowly, please?' },
    ],
  },
  pt: {
    acknowledgements: ['Muito bem.', 'Perfeito.', 'Combinado.', 'Ótimo.'],
    notUnderstood: 'Desculpe, não entendi bem.',
    suggestPhrase: 'Pode dizer, por exemplo: “{phrase}”',
    suggestWord: 'Tente usar a palavra “{phrase}”.',
    closing: 'Foi um prazer! Até logo!',
    sayMore: 'Me conta um pouco mais?',
    newTopic: 'Vamos falar de outra coisa.',
    freeHints: [
      { text: 'Eu gosto muito porque…', gloss: 'I like it a lot because…' },
      { text: 'Não tenho certeza. E você?', gloss: "I'm not sure. And you?" },
      { text: 'Você pode repetir mais devagar, por favor?', gloss: 'Can you say it again more slowly, please?' },
    ],
  },
  en: {
    acknowledgements: ['Very good.', 'Perfect.', 'All right.', 'Great.'],
    notUnderstood: 'Sorry, I didn’t quite catch that.',
    suggestPhrase: 'You could say, for example: “{phrase}”',
    suggestWord: 'Try using the word “{phrase}”.',
    closing: 'Thank you very much! See you soon!',
    sayMore: 'Could you tell me a bit more?',
    newTopic: 'Let’s talk about something else.',
    freeHints: [
      { text: 'I really like it because…', gloss: 'I like it a lot because…' },
      { text: "I'm not sure. What about you?", gloss: "I'm not sure. And you?" },
      { text: 'Could you say that again more slowly, please?', gloss: 'Can you say it again more slowly, please?' },
    ],
  },
};

const FIRST_SENTENCE = /^[^.!?]*[.!?]+/u;

/**
 * Whether `line` already opens with a short exclamation or statement ("Muy bien.", "Certo!", "¡Buenos días!")
 * that works as an acknowledgement, so the tutor does not stack a second one in front of it.
 */
export function opensWithAcknowledgement(line: string): boolean {
  const first = FIRST_SENTENCE.exec(line.trim())?.[0];
  if (!first || first.endsWith('?')) return false;
  return first.trim().split(/\s+/u).length <= 3;
}
