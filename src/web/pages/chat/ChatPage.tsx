import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Conversation } from '../../../shared/conversations.js';
import type { ScenarioView } from '../../../shared/scenarios.js';
import { scenariosApi } from '../../api/scenarios.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { languageName, sentence } from '../../lib/format.js';
import { conversationTitle, translationTarget } from '../../lib/scenario-format.js';
import { useQuery } from '../../lib/use-query.js';
import { NotFoundPage } from '../not-found/NotFoundPage.js';
import '../scenarios/practice.css';
import { ChatSummary } from './ChatSummary.js';
import { Composer } from './Composer.js';
import { MessageList, type OpenWord } from './MessageList.js';
import { PhaseProgress } from './PhaseProgress.js';
import { useAddCard } from './use-add-card.js';
import { useConversation } from './use-conversation.js';

/** Within this many pixels of the end, the page follows a streaming reply; further up, the learner is reading. */
const FOLLOW_MARGIN = 320;

function nearBottom(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - FOLLOW_MARGIN;
}

/** The scenario's objectives and glossary, when the conversation plays one (null otherwise, or if it is gone). */
function useScenario(conversation: Conversation | null) {
  const scenarioId = conversation?.mode === 'scenario' ? conversation.scenarioId : null;
  const language = conversation?.language;
  const scenario = useQuery<ScenarioView | null>(`chat-scenario:${scenarioId ?? ''}:${language ?? ''}`, () =>
    scenarioId && language ? scenariosApi.get(scenarioId, language) : Promise.resolve(null),
  );
  const data = scenario.status === 'success' ? scenario.data : null;
  return useMemo(() => {
    const objectives = new Map<string, string>();
    const glossary = new Map<string, string>();
    for (const phase of data?.phases ?? []) {
      for (const o of phase.objectives) if (!objectives.has(o.id)) objectives.set(o.id, o.description);
      const content = language ? phase.languages[language] : undefined;
      for (const v of content?.vocabulary ?? []) glossary.set(v.term, v.gloss);
      for (const p of content?.phrases ?? []) glossary.set(p.text, p.gloss);
    }
    return { scenario: data, objectives, glossary };
  }, [data, language]);
}

function ChatView({ id }: { id: string }) {
  const user = useUser();
  const chat = useConversation(id);
  const { conversation, messages, progress, pending } = chat;
  const { scenario, objectives, glossary } = useScenario(conversation);
  const cards = useAddCard(id);
  const [openWord, setOpenWord] = useState<OpenWord | null>(null);
  const [draft, setDraft] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [confirmEnd, setConfirmEnd] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const summaryRef = useRef<HTMLHeadingElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const focusSummary = useRef(false);

  // A new message (the learner's, then the tutor's) brings the end of an active conversation into view; while a
  // reply streams in, the page follows it unless the learner has scrolled up to read.
  const active = conversation?.status === 'active';
  const waiting = pending !== null;
  useEffect(() => {
    if (active) endRef.current?.scrollIntoView({ block: 'end' });
  }, [active, messages.length, waiting, progress?.completed]);
  useEffect(() => {
    if (nearBottom()) endRef.current?.scrollIntoView({ block: 'end' });
  }, [pending?.reply, pending?.feedback]);
  // The conversation just ended here: the keyboard goes to its summary (the button used is gone).
  const summary = conversation?.summary;
  useEffect(() => {
    if (!summary || !focusSummary.current) return;
    focusSummary.current = false;
    summaryRef.current?.focus();
    summaryRef.current?.scrollIntoView({ block: 'start' });
  }, [summary]);

  if (chat.loadError?.status === 404) return <NotFoundPage />;

  if (!conversation) {
    return (
      <Page title="Conversation">
        {chat.loadError ? (
          <ErrorAlert>
            <span>{errorMessage(chat.loadError)}</span>{' '}
            <Button variant="secondary" size="small" onClick={chat.reload}>
              Try again
            </Button>
          </ErrorAlert>
        ) : (
          <PageLoading label="Loading the conversation…" />
        )}
      </Page>
    );
  }

  const translateTo = translationTarget(conversation.language, user.nativeLanguage);

  const send = async () => {
    if (!draft.trim() || pending) return;
    const text = draft;
    setDraft('');
    setOpenWord(null);
    setAnnouncement('The tutor is replying…');
    const turn = await chat.send(text);
    if (turn) {
      setAnnouncement(`Tutor: ${turn.tutorMessage.text}`);
    } else {
      setAnnouncement('');
      setDraft((current) => current || text);
    }
    inputRef.current?.focus();
  };

  const end = async () => {
    setConfirmEnd(false);
    focusSummary.current = true;
    if (!(await chat.end())) focusSummary.current = false;
  };
  const askEnd = () => {
    if (conversation.mode === 'scenario' && progress && !progress.completed) setConfirmEnd(true);
    else void end();
  };

  const endButton = (variant: 'primary' | 'secondary') => (
    <Button
      variant={variant}
      size={variant === 'primary' ? 'normal' : 'small'}
      busy={chat.ending}
      busyLabel="Ending…"
      disabled={pending !== null}
      onClick={askEnd}
    >
      End conversation
    </Button>
  );

  // A free conversation's title already says so.
  const mode = conversation.mode === 'scenario' ? 'Scenario · ' : '';
  const done = progress?.phases.filter((p) => p.completed).length ?? 0;

  return (
    <Page
      title={conversationTitle(conversation)}
      description={`${mode}${languageName(conversation.language)} · ${conversation.level}${active ? '' : ' · ended'}`}
      actions={
        <>
          <Link to="/conversations" className="btn btn-secondary btn-small">
            All conversations
          </Link>
          {active && !progress?.completed && endButton('secondary')}
        </>
      }
    >
      <div
        className={['chat-layout', progress ? 'chat-layout-scenario' : '', active ? '' : 'chat-layout-ended']
          .filter(Boolean)
          .join(' ')}
      >
        {progress && (
          <aside className="chat-side" aria-label="Scenario progress">
            <PhaseProgress progress={progress} phases={scenario?.phases ?? null} />
            {scenario && (
              <details className="card section chat-roles">
                <summary>Roles and setting</summary>
                <dl className="facts">
                  <div>
                    <dt>You are</dt>
                    <dd>{scenario.learnerRole}</dd>
                  </div>
                  <div>
                    <dt>The tutor is</dt>
                    <dd>{scenario.tutorRole}</dd>
                  </div>
                  <div>
                    <dt>Setting</dt>
                    <dd>{scenario.setting}</dd>
                  </div>
                </dl>
              </details>
            )}
          </aside>
        )}

        <div className="chat-main">
          {conversation.summary && (
            <ChatSummary conversation={conversation} summary={conversation.summary} headingRef={summaryRef} />
          )}
          {chat.notice && active && (
            <div className="alert alert-warning chat-notice" role="status" data-testid="engine-notice">
              <span>{sentence(chat.notice)}</span>
              <Button variant="ghost" size="small" onClick={chat.dismissNotice}>
                Dismiss
              </Button>
            </div>
          )}
          <section className="chat-transcript" aria-labelledby="transcript-heading">
            <h2 id="transcript-heading" className="visually-hidden">
              Conversation
            </h2>
            <MessageList
              messages={messages}
              pending={pending}
              language={conversation.language}
              translateTo={translateTo}
              objectives={objectives}
              glossary={glossary}
              addState={cards.stateOf}
              onAdd={(request) => void cards.add(request)}
              openWord={openWord}
              onOpenWord={setOpenWord}
            />
          </section>

          {cards.error && <ErrorAlert>{cards.error}</ErrorAlert>}
          <StatusMessage className="visually-hidden">{cards.status}</StatusMessage>
          <p className="visually-hidden" aria-live="polite" data-testid="reply-announcement">
            {announcement}
          </p>

          {active && (
            <div className="chat-bottom">
              {chat.sendError && <ErrorAlert>{chat.sendError}</ErrorAlert>}
              {chat.endError && <ErrorAlert>{chat.endError}</ErrorAlert>}
              {progress?.completed && (
                <div className="chat-finished" role="status">
                  <p>
                    <strong>All {progress.phases.length} phases done.</strong> End the conversation to see your summary
                    and new flashcards.
                  </p>
                  {endButton('primary')}
                </div>
              )}
              <Composer
                conversationId={conversation.id}
                language={conversation.language}
                sending={pending !== null}
                inputRef={inputRef}
                value={draft}
                onChange={setDraft}
                onSend={() => void send()}
              />
            </div>
          )}
          {/* Below the message box, so following the conversation keeps the newest message above it. */}
          <div ref={endRef} />
        </div>
      </div>

      <ConfirmDialog
        open={confirmEnd}
        title="End the conversation now?"
        confirmLabel="End conversation"
        onConfirm={() => void end()}
        onCancel={() => setConfirmEnd(false)}
      >
        <p>
          You have completed {done} of {progress?.phases.length ?? 0} phases. Ending now records what you did and makes
          flashcards of the words you met; the scenario stays open for another attempt.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

export function ChatPage() {
  const { id = '' } = useParams();
  // A new conversation is a new page: nothing of the previous one's state carries over.
  return <ChatView key={id} id={id} />;
}
