import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ConversationListItem, ProgressView } from '../../../shared/conversations.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import type { CefrLevel } from '../../../shared/scenarios.js';
import { conversationsApi } from '../../api/conversations.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { LoadMore } from '../../components/LoadMore.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PhaseBar, currentPhaseIndex } from '../../components/PhaseBar.js';
import { PageLoading } from '../../components/PageLoading.js';
import { formatCount, formatDateTime, languageName } from '../../lib/format.js';
import { conversationTitle, LEVEL_LABELS, LEVEL_LIST } from '../../lib/scenario-format.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { usePagedQuery } from '../../lib/use-paged-query.js';
import '../scenarios/practice.css';
import './conversations.css';
import { Options } from '../../components/options.js';

const PAGE_SIZE = 20;
const FREE_FIELDS = ['language', 'level', 'topic'] as const;

/** Starts a conversation without a scenario: the tutor offers topics and asks questions. */
function FreeConversationForm() {
  const navigate = useNavigate();
  const [language, setLanguage] = useState<TargetLanguage>('es');
  const [level, setLevel] = useState<CefrLevel>('A2');
  const { formRef, busy, errors, onSubmit } = useFormSubmit(FREE_FIELDS, async (value) => {
    const topic = value('topic').trim();
    const conversation = await conversationsApi.create({
      mode: 'free',
      language,
      level,
      topic: topic || undefined,
    });
    await navigate(`/conversations/${conversation.id}`);
  });

  return (
    <section className="card section" aria-labelledby="free-heading">
      <h2 id="free-heading">Free conversation</h2>
      <p className="muted free-intro">No script: talk about everyday topics with the tutor, at your level.</p>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <div className="free-grid">
          <FormField label="Language" error={errors.fields.language}>
            {(control) => (
              <select
                {...control}
                name="language"
                value={language}
                onChange={(e) => setLanguage(e.target.value as TargetLanguage)}
              >
                <Options values={TARGET_LANGUAGES} label={(l) => languageName(l)} />
              </select>
            )}
          </FormField>
          <FormField label="Your level" error={errors.fields.level}>
            {(control) => (
              <select {...control} name="level" value={level} onChange={(e) => setLevel(e.target.value as CefrLevel)}>
                <Options values={LEVEL_LIST} label={(l) => LEVEL_LABELS[l]} />
              </select>
            )}
          </FormField>
          <FormField label="Topic" optional error={errors.fields.topic} hint="Leave it empty and the tutor picks one.">
            {(control) => <input {...control} name="topic" type="text" maxLength={200} autoComplete="off" />}
          </FormField>
        </div>
        <Button type="submit" busy={busy} busyLabel="Starting…">
          Start talking
        </Button>
      </form>
    </section>
  );
}

/**
 * Where a scenario under way stands: the phase in words and one bar segment per phase (filled when done, the
 * current one partly, by the objectives met in it), as the conversation's own page shows it.
 */
function PhaseProgressInline({ progress, title }: { progress: ProgressView; title: string }) {
  const total = progress.phases.length;
  const current = currentPhaseIndex(progress);
  return (
    <span className="conversation-progress">
      <span>{progress.completed ? `All ${total} phases done` : `Phase ${current + 1} of ${total}`}</span>
      <PhaseBar progress={progress} label={`Phases completed in ${title}`} className="conversation-phase-bar" />
    </span>
  );
}

function ConversationItem({ item, timeZone }: { item: ConversationListItem; timeZone: string }) {
  // An ended scenario counts its phases in its summary; one under way shows its progress (free talk has none).
  const ended = item.summary ? { done: item.summary.phasesCompleted, total: item.summary.phasesTotal } : null;
  const underWay = !item.summary && item.progress && item.progress.phases.length > 0 ? item.progress : null;
  return (
    <li className="conversation-item" data-conversation-id={item.id}>
      <div className="conversation-item-main">
        <p className="conversation-item-title">
          <Link to={`/conversations/${item.id}`}>{conversationTitle(item)}</Link>
        </p>
        <p className="conversation-item-meta">
          <span className={`badge ${item.status === 'active' ? 'badge-active' : 'badge-completed'}`}>
            {item.status === 'active' ? 'In progress' : 'Ended'}
          </span>
          <span>{item.mode === 'scenario' ? 'Scenario' : 'Free'}</span>
          <span>
            {languageName(item.language)} · {item.level}
          </span>
          {item.mode === 'scenario' && ended && ended.total > 0 && (
            <span>
              {ended.done}/{ended.total} phases
            </span>
          )}
          {item.mode === 'scenario' && underWay && (
            <PhaseProgressInline progress={underWay} title={conversationTitle(item)} />
          )}
          <span>{formatCount(item.messageCount, 'message', 'messages')}</span>
        </p>
        {item.lastMessage && (
          <p className="conversation-item-last" lang={item.language}>
            {item.lastMessage}
          </p>
        )}
      </div>
      <p className="conversation-item-time">
        <time dateTime={item.lastActivityAt}>{formatDateTime(item.lastActivityAt, timeZone)}</time>
      </p>
    </li>
  );
}

export function ConversationsPage() {
  const user = useUser();
  const { first, items, nextCursor, loadMore, loadingMore, moreError } = usePagedQuery('conversations', (cursor) =>
    conversationsApi.list({ limit: PAGE_SIZE, cursor }),
  );
  const summary =
    first.status === 'success'
      ? items.length === 0
        ? 'No conversations yet.'
        : nextCursor
          ? `Showing the ${formatCount(items.length, 'newest conversation', 'newest conversations')}.`
          : `${formatCount(items.length, 'conversation', 'conversations')}, that’s all of them.`
      : '';

  return (
    <Page
      title="Conversations"
      description="Your role-plays and free conversations with the tutor, newest first."
      actions={
        <Link to="/scenarios" className="btn btn-primary btn-small">
          Choose a scenario
        </Link>
      }
    >
      <div className="conversations-layout">
        <section
          className="card section"
          aria-labelledby="conversations-heading"
          aria-busy={first.status === 'loading'}
        >
          <h2 id="conversations-heading">Your conversations</h2>
          {first.status === 'error' && <RetryAlert error={first.error} onRetry={first.reload} />}
          {first.status === 'loading' && !first.data && <PageLoading label="Loading conversations…" />}
          {first.data && items.length === 0 && (
            <EmptyState title="No conversations yet">
              <p>
                <Link to="/scenarios">Pick a scenario</Link> to role-play, or start a free conversation.
              </p>
            </EmptyState>
          )}
          {items.length > 0 && (
            <>
              <ul className="conversation-list" aria-label="Conversations">
                {items.map((c) => (
                  <ConversationItem key={c.id} item={c} timeZone={user.timezone} />
                ))}
              </ul>
              <LoadMore
                summary={summary}
                hasMore={Boolean(nextCursor)}
                loading={loadingMore}
                onLoadMore={() => void loadMore()}
              />
            </>
          )}
          {moreError && <ErrorAlert>{moreError}</ErrorAlert>}
          <StatusMessage className="visually-hidden">{summary}</StatusMessage>
        </section>
        <FreeConversationForm />
      </div>
    </Page>
  );
}
