import type { KeyboardEvent } from 'react';
import type { FeedbackView, MessageView } from '../../../shared/conversations.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import { CORRECTION_TYPE_LABELS } from '../../lib/scenario-format.js';
import { AddCardButton } from './AddCardButton.js';
import { TranslationPopover } from './TranslationPopover.js';
import type { AddCardRequest, AddCardState } from './use-add-card.js';
import type { PendingTurn } from './use-conversation.js';
import { type WordPick, WordText } from './WordText.js';

/** The word whose translation is open: in which message, and which word of it. */
export interface OpenWord extends WordPick {
  messageId: string;
}

export interface MessageListProps {
  messages: MessageView[];
  pending: PendingTurn | null;
  language: TargetLanguage;
  /** The language translations are asked in. */
  translateTo: TargetLanguage;
  /** Objective descriptions by id (scenario mode), to name the goals a message met. */
  objectives: ReadonlyMap<string, string>;
  /** English glosses of the scenario's words and phrases, sent as the translation of a new card. */
  glossary: ReadonlyMap<string, string>;
  addState: (messageId: string, term: string) => AddCardState | undefined;
  onAdd: (request: AddCardRequest) => void;
  openWord: OpenWord | null;
  onOpenWord: (word: OpenWord | null) => void;
}

const ENGINE_LABELS = { offline: 'Offline tutor', llm: 'AI tutor' } as const;

function glossOf(glossary: ReadonlyMap<string, string>, term: string): string | undefined {
  return glossary.get(term) ?? glossary.get(term.toLocaleLowerCase());
}

function Feedback({
  feedback,
  messageId,
  language,
  objectives,
  glossary,
  addState,
  onAdd,
}: {
  feedback: FeedbackView;
  /** Null while the message is on its way (no card can be made of it yet). */
  messageId: string | null;
} & Pick<MessageListProps, 'language' | 'objectives' | 'glossary' | 'addState' | 'onAdd'>) {
  const { corrections, vocabularyUsed, objectivesMet } = feedback;
  if (corrections.length === 0 && vocabularyUsed.length === 0 && objectivesMet.length === 0) return null;
  return (
    <div className="feedback">
      {corrections.length > 0 && (
        <ul className="corrections" aria-label="Corrections">
          {corrections.map((c, i) => (
            <li key={i} className="correction" data-testid="correction">
              <p className="correction-change">
                <span className={`badge badge-correction badge-correction-${c.type}`}>
                  {CORRECTION_TYPE_LABELS[c.type]}
                </span>
                <span lang={language}>
                  <del className="correction-original">{c.original}</del>
                  <span aria-hidden="true"> → </span>
                  <span className="visually-hidden"> should be </span>
                  <ins className="correction-corrected">{c.corrected}</ins>
                </span>
              </p>
              <p className="correction-explanation">{c.explanation}</p>
              {messageId && (
                <AddCardButton
                  term={c.corrected}
                  state={addState(messageId, c.corrected)}
                  onAdd={() => onAdd({ term: c.corrected, translation: glossOf(glossary, c.corrected), messageId })}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {objectivesMet.length > 0 && (
        <div className="feedback-row">
          <span className="feedback-label">Goals met</span>
          <ul className="chip-list">
            {objectivesMet.map((id) => (
              <li key={id} className="chip chip-goal">
                <svg aria-hidden="true" viewBox="0 0 16 16" width="12" height="12" fill="none" stroke="currentColor">
                  <path d="M3 8.5 6.5 12 13 4.5" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                {objectives.get(id) ?? id}
              </li>
            ))}
          </ul>
        </div>
      )}
      {vocabularyUsed.length > 0 && (
        <div className="feedback-row">
          <span className="feedback-label">Words used</span>
          <ul className="chip-list">
            {vocabularyUsed.map((term) => (
              <li key={term} className="chip chip-word">
                <span lang={language}>{term}</span>
                {messageId && (
                  <AddCardButton
                    term={term}
                    compact
                    state={addState(messageId, term)}
                    onAdd={() => onAdd({ term, translation: glossOf(glossary, term), messageId })}
                  />
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function TutorMessage({
  message,
  language,
  translateTo,
  addState,
  onAdd,
  openWord,
  onOpenWord,
}: { message: MessageView } & Pick<
  MessageListProps,
  'language' | 'translateTo' | 'addState' | 'onAdd' | 'openWord' | 'onOpenWord'
>) {
  const open = openWord?.messageId === message.id ? openWord : null;
  const popoverId = `translation-${message.id}`;

  const close = () => {
    const index = open?.index;
    onOpenWord(null);
    // Back to the word the translation was of.
    if (index !== undefined)
      document.querySelectorAll<HTMLButtonElement>(`[data-message-id="${message.id}"] .word`)[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    }
  };

  return (
    // Escape anywhere in the message (a word or the translation) closes the translation.
    <div className="bubble bubble-tutor" data-message-id={message.id} onKeyDown={onKeyDown}>
      <WordText
        text={message.text}
        language={language}
        selected={open?.index ?? null}
        controls={popoverId}
        label="Tutor’s message: pick a word to translate it"
        onPick={(pick) => onOpenWord(open?.index === pick.index ? null : { ...pick, messageId: message.id })}
      />
      {open && (
        <TranslationPopover
          key={`${open.index}`}
          id={popoverId}
          word={open.word}
          sentence={open.sentence}
          from={language}
          to={translateTo}
          addState={addState(message.id, open.word)}
          onAdd={(translation) => onAdd({ term: open.word, translation, messageId: message.id })}
          onClose={close}
        />
      )}
      {message.engine && <p className="message-meta">{ENGINE_LABELS[message.engine]}</p>}
    </div>
  );
}

/** The conversation so far, oldest first, with the turn under way (the reply growing as it streams) at the end. */
export function MessageList(props: MessageListProps) {
  const { messages, pending, language } = props;
  return (
    <ol className="message-list" aria-label="Messages">
      {messages.map((m) => (
        <li key={m.id} className={`message message-${m.role}`}>
          <p className="visually-hidden">{m.role === 'tutor' ? 'Tutor:' : 'You:'}</p>
          {m.role === 'tutor' ? (
            <TutorMessage message={m} {...props} />
          ) : (
            <>
              <div className="bubble bubble-learner">
                <p className="message-text" lang={language}>
                  {m.text}
                </p>
              </div>
              {m.feedback && <Feedback feedback={m.feedback} messageId={m.id} {...props} />}
            </>
          )}
        </li>
      ))}
      {pending && (
        <>
          <li className="message message-learner">
            <p className="visually-hidden">You:</p>
            <div className="bubble bubble-learner">
              <p className="message-text" lang={language}>
                {pending.text}
              </p>
            </div>
            {pending.feedback && <Feedback feedback={pending.feedback} messageId={null} {...props} />}
          </li>
          <li className="message message-tutor" aria-busy="true">
            <p className="visually-hidden">Tutor:</p>
            <div className="bubble bubble-tutor bubble-streaming" data-testid="streaming-reply">
              <p className="message-text" lang={language}>
                {pending.reply}
                <span className="typing" aria-hidden="true">
                  <span />
                  <span />
                  <span />
                </span>
              </p>
            </div>
          </li>
        </>
      )}
    </ol>
  );
}
