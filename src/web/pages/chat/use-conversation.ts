import { useCallback, useEffect, useRef, useState } from 'react';
import type { Conversation, FeedbackView, MessageView, ProgressView, Turn } from '../../../shared/conversations.js';
import { ApiError } from '../../api/client.js';
import { conversationsApi } from '../../api/conversations.js';
import { errorMessage } from '../../lib/form-errors.js';

/** crypto.randomUUID needs a secure context; a server reached over plain HTTP on a network gets the fallback. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The learner's message on its way and the tutor's reply as it streams in. */
export interface PendingTurn {
  text: string;
  /** Arrives before the reply is complete. */
  feedback: FeedbackView | null;
  /** The reply so far. */
  reply: string;
}

/**
 * One conversation on the chat page: its history, the turn under way (streamed), the scenario's progress, the
 * notice of an engine change, and ending it. A message is sent only when none is under way and the
 * conversation is active; a failed send hands the text back so the learner can retry.
 */
export function useConversation(id: string) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [progress, setProgress] = useState<ProgressView | null>(null);
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const busy = useRef(false);
  const loadSeq = useRef(0);
  /** The message that failed last and the key it was sent with: sending it again reuses the key. */
  const failed = useRef<{ text: string; key: string } | null>(null);

  /** Fetches the conversation; an answer to a request that a later one superseded is dropped. */
  const load = useCallback((): Promise<void> => {
    const seq = ++loadSeq.current;
    return conversationsApi.get(id).then(
      (loaded) => {
        if (seq !== loadSeq.current) return;
        setConversation(loaded);
        setMessages(loaded.messages);
        setProgress(loaded.progress);
        setLoadError(null);
      },
      (err: unknown) => {
        if (seq !== loadSeq.current) return;
        setLoadError(err instanceof ApiError ? err : new ApiError(0, 'unknown', errorMessage(err)));
      },
    );
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Resolves with the turn when the message was answered; null when it was not (the caller keeps the text). */
  const send = useCallback(
    async (text: string): Promise<Turn | null> => {
      const trimmed = text.trim();
      if (!trimmed || busy.current || conversation?.status !== 'active') return null;
      busy.current = true;
      setSendError(null);
      setPending({ text: trimmed, feedback: null, reply: '' });
      const key = failed.current?.text === trimmed ? failed.current.key : newIdempotencyKey();
      try {
        const turn = await conversationsApi.send(
          id,
          trimmed,
          {
            onToken: (token) => setPending((p) => (p ? { ...p, reply: p.reply + token } : p)),
            onFeedback: (feedback) => setPending((p) => (p ? { ...p, feedback } : p)),
            onProgress: setProgress,
          },
          { idempotencyKey: key },
        );
        failed.current = null;
        // A retried message may already be in the history (reloaded after the failure): never show it twice.
        setMessages((prev) => [
          ...prev.filter((m) => m.id !== turn.learnerMessage.id && m.id !== turn.tutorMessage.id),
          { ...turn.learnerMessage, feedback: turn.learnerMessage.feedback ?? turn.feedback },
          turn.tutorMessage,
        ]);
        if (turn.progress) setProgress(turn.progress);
        if (turn.notice) setNotice(turn.notice);
        return turn;
      } catch (err) {
        failed.current = { text: trimmed, key };
        setSendError(errorMessage(err));
        // The server may have kept the learner's message before failing: show what it has.
        void load();
        return null;
      } finally {
        setPending(null);
        busy.current = false;
      }
    },
    [conversation?.status, id, load],
  );

  const end = useCallback(async (): Promise<boolean> => {
    if (ending || busy.current) return false;
    setEnding(true);
    setEndError(null);
    try {
      const ended = await conversationsApi.end(id);
      setConversation(ended);
      setMessages(ended.messages);
      setProgress(ended.progress);
      return true;
    } catch (err) {
      setEndError(errorMessage(err));
      return false;
    } finally {
      setEnding(false);
    }
  }, [ending, id]);

  return {
    conversation,
    loadError,
    reload: () => void load(),
    messages,
    progress,
    pending,
    notice,
    dismissNotice: () => setNotice(null),
    sendError,
    send,
    ending,
    endError,
    end,
  } as const;
}
