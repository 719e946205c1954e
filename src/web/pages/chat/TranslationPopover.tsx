import type { TargetLanguage } from '../../../shared/languages.js';
import { translateApi } from '../../api/conversations.js';
import { SpeakButton } from '../../components/SpeakButton.js';
import { errorMessage } from '../../lib/form-errors.js';
import { languageName, sentence as asSentence } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { AddCardButton } from './AddCardButton.js';
import type { AddCardState } from './use-add-card.js';

/**
 * The translation of a word the learner picked in a tutor message, shown under the message: the translation and
 * where it came from, or why there is none, and a button to make a flashcard of it. Its text is announced as it
 * arrives; Escape (handled by the message) or the close button closes it.
 */
export function TranslationPopover({
  id,
  word,
  sentence,
  from,
  to,
  addState,
  onAdd,
  onClose,
}: {
  id: string;
  word: string;
  sentence: string;
  from: TargetLanguage;
  to: TargetLanguage;
  addState: AddCardState | undefined;
  onAdd: (translation: string | undefined) => void;
  onClose: () => void;
}) {
  const result = useQuery(`translate:${from}:${to}:${word}:${sentence}`, () =>
    translateApi.translate({ text: word, from, to, context: sentence || undefined }),
  );
  const translation = result.data?.available ? result.data.translation : undefined;

  return (
    <div id={id} className="translation-popover" role="region" aria-label={`Translation of “${word}”`}>
      <div className="translation-head">
        <span className="translation-word" lang={from}>
          {word}
        </span>
        <SpeakButton text={word} language={from} small />
        <button type="button" className="translation-close" aria-label="Close the translation" onClick={onClose}>
          <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" stroke="currentColor" fill="none">
            <path d="M4 4l8 8M12 4l-8 8" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      <div aria-live="polite" className="translation-body">
        {result.status === 'loading' && <p className="muted">Translating…</p>}
        {result.status === 'error' && <p className="translation-unavailable">{errorMessage(result.error)}</p>}
        {result.status === 'success' && result.data.available && (
          <>
            <p className="translation-text" lang={to} data-testid="translation-text">
              {result.data.translation}
            </p>
            <p className="translation-source">
              {languageName(to)} ·{' '}
              {result.data.source === 'glossary' ? 'from the scenario’s word lists' : 'translated by the AI tutor'}
            </p>
          </>
        )}
        {result.status === 'success' && !result.data.available && (
          <p className="translation-unavailable" data-testid="translation-unavailable">
            No translation available. {asSentence(result.data.reason)}
          </p>
        )}
      </div>
      {result.status === 'success' && <AddCardButton term={word} state={addState} onAdd={() => onAdd(translation)} />}
    </div>
  );
}
