import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import type { Hint } from '../../../shared/conversations.js';
import type { TargetLanguage } from '../../../shared/languages.js';
import { conversationsApi } from '../../api/conversations.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { errorMessage } from '../../lib/form-errors.js';
import { languageName } from '../../lib/format.js';

const MAX_LENGTH = 2000;

/**
 * Where the learner writes: Enter sends, Shift+Enter starts a new line. "Hint" asks the tutor for 2–3 things to
 * say next; choosing one puts it in the box to edit or send.
 */
export function Composer({
  conversationId,
  language,
  sending,
  inputRef,
  value,
  onChange,
  onSend,
}: {
  conversationId: string;
  language: TargetLanguage;
  sending: boolean;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
}) {
  const [hint, setHint] = useState<Hint | null>(null);
  const [hintBusy, setHintBusy] = useState(false);
  const [hintError, setHintError] = useState<string | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  // New suggestions appear above the box: the keyboard goes to the first one.
  useEffect(() => {
    const panel = panelRef.current;
    if (!hint || !panel) return;
    (panel.querySelector<HTMLElement>('.hint-suggestion') ?? panel.querySelector<HTMLElement>('button'))?.focus();
  }, [hint]);

  const closeHint = () => {
    setHint(null);
    inputRef.current?.focus();
  };

  const askHint = async () => {
    if (hintBusy) return;
    setHintBusy(true);
    setHintError(null);
    try {
      setHint(await conversationsApi.hint(conversationId));
    } catch (err) {
      setHint(null);
      setHintError(errorMessage(err));
    } finally {
      setHintBusy(false);
    }
  };

  const chooseSuggestion = (text: string) => {
    onChange(text);
    setHint(null);
    requestAnimationFrame(() => {
      const input = inputRef.current;
      if (!input) return;
      input.focus();
      input.setSelectionRange(text.length, text.length);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method composes a character, Enter confirms the character, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    setHint(null);
    onSend();
  };

  return (
    <form
      className="composer"
      aria-label="Your reply"
      onSubmit={(e) => {
        e.preventDefault();
        setHint(null);
        onSend();
        inputRef.current?.focus();
      }}
    >
      {hintError && <ErrorAlert>{hintError}</ErrorAlert>}
      {hint && (
        <div
          ref={panelRef}
          className="hint-panel"
          role="region"
          aria-labelledby="hint-heading"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              closeHint();
            }
          }}
        >
          <div className="hint-head">
            <h2 id="hint-heading">You could say…</h2>
            <Button variant="ghost" size="small" onClick={closeHint}>
              Close
            </Button>
          </div>
          {hint.suggestions.length === 0 ? (
            <p className="muted">The tutor has no suggestion right now.</p>
          ) : (
            <ul className="hint-list">
              {hint.suggestions.map((s, i) => (
                <li key={i}>
                  <button type="button" className="hint-suggestion" onClick={() => chooseSuggestion(s.text)}>
                    <span className="hint-text" lang={language}>
                      {s.text}
                    </span>
                    <span className="hint-gloss">{s.gloss}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <label htmlFor="composer-input" className="visually-hidden">
        Your message in {languageName(language)}
      </label>
      <div className="composer-row">
        <textarea
          id="composer-input"
          ref={inputRef}
          name="text"
          lang={language}
          rows={2}
          maxLength={MAX_LENGTH}
          value={value}
          placeholder={`Write in ${languageName(language)}…`}
          aria-describedby="composer-keys"
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button type="submit" className="composer-send" busy={sending} busyLabel="Sending…">
          Send
        </Button>
      </div>
      <div className="composer-tools">
        <Button
          variant="secondary"
          size="small"
          busy={hintBusy}
          busyLabel="Thinking…"
          aria-expanded={hint !== null}
          onClick={() => void askHint()}
        >
          Hint
        </Button>
        <p id="composer-keys" className="composer-keys muted">
          <kbd>Enter</kbd> sends · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line
        </p>
      </div>
    </form>
  );
}
