import { useState } from 'react';
import type { AskAnswer } from '../../../shared/ai.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import { aiApi, ApiError } from '../../api/client.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { languageName, sentence } from '../../lib/format.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';

const FIELDS = ['question', 'language'] as const;

interface Problem {
  title: string;
  message: string;
}

/** The words for a call the API refused or could not answer; null for what the form shows next to its fields. */
function problemOf(error: unknown): Problem | null {
  if (!(error instanceof ApiError)) return { title: 'No answer', message: 'Something went wrong. Please try again.' };
  switch (error.code) {
    case 'validation_failed':
      return null;
    case 'budget_exhausted':
      return { title: 'Your AI budget is used up', message: sentence(error.message) };
    case 'ai_unavailable':
      return {
        title: 'No model available',
        message: `${sentence(error.message)} The offline tutor still works.`,
      };
    case 'ai_failed':
      return { title: 'The tutor could not answer', message: `${sentence(error.message)} Please try again.` };
    default:
      return { title: 'No answer', message: sentence(error.message) };
  }
}

/**
 * A quick question to the tutor from the usage page: the answer, with any budget warning it carries, or the API's
 * own explanation of why there is none (a used-up budget says when it resets). `onAsked` runs after every
 * call the API took in, since even a failed one may have cost something (not after a refused form).
 */
export function AskTutor({ onAsked }: { onAsked: () => void }) {
  const [answer, setAnswer] = useState<AskAnswer | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { formRef, busy, errors, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    setAnswer(null);
    setProblem(null);
    try {
      const language = TARGET_LANGUAGES.find((l) => l === value('language'));
      setAnswer(await aiApi.ask({ question: value('question'), ...(language ? { language } : {}) }));
    } catch (err) {
      const refused = problemOf(err);
      if (!refused) throw err;
      setProblem(refused);
    }
    onAsked();
  });

  return (
    <section className="card section ask-card" aria-labelledby="ask-heading">
      <h2 id="ask-heading">Ask the tutor</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <FormField
          label="Your question"
          error={errors.fields.question}
          hint="A quick question about words or grammar. Each answer counts against your AI budget."
        >
          {(control) => <textarea {...control} name="question" rows={3} maxLength={2000} required />}
        </FormField>
        <div className="ask-actions">
          <FormField label="Language you study" optional error={errors.fields.language}>
            {(control) => (
              <select {...control} name="language" defaultValue="">
                <option value="">Not specified</option>
                {TARGET_LANGUAGES.map((l: TargetLanguage) => (
                  <option key={l} value={l}>
                    {languageName(l)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <Button type="submit" busy={busy} busyLabel="Asking…">
            Ask
          </Button>
        </div>
      </form>

      <div className="ask-result" aria-live="polite">
        {problem && (
          <div className="alert alert-error ask-problem" data-testid="ask-problem">
            <p>
              <strong>{problem.title}.</strong> {problem.message}
            </p>
          </div>
        )}
        {answer && (
          <div className="ask-answer" data-testid="ask-answer">
            {answer.budgetWarnings.length === 1 && (
              <p className="alert alert-warning budget-warnings" data-testid="budget-warning">
                {sentence(answer.budgetWarnings[0]!.message)}
              </p>
            )}
            {answer.budgetWarnings.length > 1 && (
              <ul
                className="alert alert-warning budget-warnings"
                aria-label="Budget warnings"
                data-testid="budget-warning"
              >
                {answer.budgetWarnings.map((w) => (
                  <li key={`${w.scope}-${w.alertLevel}`}>{sentence(w.message)}</li>
                ))}
              </ul>
            )}
            <h3 className="visually-hidden">The tutor’s answer</h3>
            <p className="ask-answer-text">{answer.answer}</p>
            <p className="ask-answer-meta">{answer.cached ? 'From the cache (free)' : `Answered by ${answer.model}`}</p>
          </div>
        )}
      </div>
    </section>
  );
}
