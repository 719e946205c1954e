import { useEffect, useEffectEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { languageName, RATING_LIST } from '../../lib/format.js';
import { Flashcard } from './Flashcard.js';
import { ReviewSummary } from './ReviewSummary.js';
import { summarise, useReviewSession } from './use-review-session.js';
import { Options } from '../../components/options.js';

/** Keys typed into a field, or pressed with a modifier, are never shortcuts. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches('input, textarea, select');
}

function ShortcutsLegend() {
  return (
    <p className="shortcuts" aria-label="Keyboard shortcuts">
      <span>
        <kbd>Space</kbd> show answer
      </span>
      <span>
        <kbd>1</kbd>–<kbd>4</kbd> again, hard, good, easy
      </span>
      <span>
        <kbd>U</kbd> undo
      </span>
    </p>
  );
}

function ReviewSession({ language }: { language: TargetLanguage | undefined }) {
  const session = useReviewSession(language);
  const { current, revealed, busy, progress } = session;

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) return;
    if (document.querySelector('dialog[open]')) return;
    if (event.key === ' ') {
      // Space on a focused button or link is that control's own.
      if (event.target instanceof Element && event.target.closest('button, a')) return;
      if (!current) return;
      event.preventDefault();
      if (!event.repeat) session.reveal();
      return;
    }
    if (event.repeat) return;
    const index = ['1', '2', '3', '4'].indexOf(event.key);
    if (index !== -1) {
      if (!current || !revealed) return;
      event.preventDefault();
      void session.answer(RATING_LIST[index]!);
      return;
    }
    if (event.key === 'u' || event.key === 'U') {
      event.preventDefault();
      void session.undo();
    }
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <>
      {session.status === 'ready' && (current || progress.done > 0) && (
        <div className="review-progress">
          <p className="review-progress-text" data-testid="review-progress">
            <strong>{progress.done}</strong> of <strong>{progress.total}</strong>
            <span className="muted"> reviewed</span>
          </p>
          <div
            className="meter"
            role="progressbar"
            aria-label="Review progress"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
          >
            <span className="meter-fill" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}

      {session.loadError && (
        <ErrorAlert>
          <span>{session.loadError}</span>{' '}
          <Button variant="secondary" size="small" onClick={session.reload}>
            Try again
          </Button>
        </ErrorAlert>
      )}
      {session.actionError && <ErrorAlert>{session.actionError}</ErrorAlert>}

      {session.status === 'loading' && <PageLoading label="Loading your cards…" />}

      {current && (
        <Flashcard
          key={session.turn}
          item={current}
          revealed={revealed}
          busy={busy !== null}
          onReveal={session.reveal}
          onAnswer={(rating) => void session.answer(rating)}
        />
      )}

      {session.status === 'ready' && !current && (
        <section className="card section" aria-label="Summary">
          <ReviewSummary summary={summarise(session.answers)} />
        </section>
      )}

      <div className="review-footer">
        <StatusMessage>{session.message}</StatusMessage>
        <div className="review-footer-row">
          <ShortcutsLegend />
          <Button
            variant="ghost"
            size="small"
            busy={busy === 'undo'}
            busyLabel="Undoing…"
            aria-keyshortcuts="U"
            onClick={() => void session.undo()}
          >
            Undo last answer
          </Button>
        </div>
      </div>
    </>
  );
}

function pickLanguage(value: string | null): TargetLanguage | undefined {
  return TARGET_LANGUAGES.find((l) => l === value);
}

export function ReviewPage() {
  const [params, setParams] = useSearchParams();
  const language = pickLanguage(params.get('language'));

  return (
    <Page
      title="Review"
      description="Recall each word before you turn its card, then say how well you knew it."
      actions={
        <>
          <Link to="/review/stats" className="btn btn-secondary btn-small">
            Statistics
          </Link>
          <Link to="/review/settings" className="btn btn-secondary btn-small">
            Review settings
          </Link>
        </>
      }
    >
      <div className="review-column">
        <form className="review-toolbar" aria-label="Choose cards" onSubmit={(e) => e.preventDefault()}>
          <FormField label="Language">
            {(control) => (
              <select
                {...control}
                name="language"
                value={language ?? ''}
                onChange={(e) => {
                  const value = e.target.value;
                  setParams(value ? { language: value } : {}, { replace: true });
                }}
              >
                <option value="">All languages</option>
                <Options values={TARGET_LANGUAGES} label={(l) => languageName(l)} />
              </select>
            )}
          </FormField>
        </form>
        {/* A new language is a new sitting, with its own progress and summary. */}
        <ReviewSession key={language ?? 'all'} language={language} />
      </div>
    </Page>
  );
}
