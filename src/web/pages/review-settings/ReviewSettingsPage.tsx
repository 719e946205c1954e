import { Link } from 'react-router';
import type { ReviewSettings } from '../../../shared/review.js';
import { reviewApi } from '../../api/client.js';
import { ErrorAlert, RetryAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { useQuery } from '../../lib/use-query.js';
import { Options } from '../../components/options.js';

const FIELDS = [
  'desiredRetention',
  'newCardsPerDay',
  'maxReviewsPerDay',
  'learningSteps',
  'relearningSteps',
  'dayBoundaryHour',
] as const;

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** An empty box is sent as NaN (JSON null), which the API rejects next to its field. */
function toNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

function SettingsForm({ settings, onSaved }: { settings: ReviewSettings; onSaved: () => void }) {
  const { formRef, busy, errors, status, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    await reviewApi.saveSettings({
      desiredRetention: toNumber(value('desiredRetention')),
      newCardsPerDay: toNumber(value('newCardsPerDay')),
      maxReviewsPerDay: toNumber(value('maxReviewsPerDay')),
      learningSteps: value('learningSteps'),
      relearningSteps: value('relearningSteps'),
      dayBoundaryHour: toNumber(value('dayBoundaryHour')),
    });
    onSaved();
    return 'Review settings saved.';
  });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
      <ErrorAlert>{errors.form}</ErrorAlert>
      <FormField
        label="Desired retention"
        error={errors.fields.desiredRetention}
        hint="How likely you want to be to remember a card when it comes up, from 0.70 to 0.99. Higher means more reviews."
      >
        {(control) => (
          <input
            {...control}
            name="desiredRetention"
            type="number"
            inputMode="decimal"
            min={0.7}
            max={0.99}
            step={0.01}
            defaultValue={settings.desiredRetention}
            required
          />
        )}
      </FormField>
      <p className="note" data-testid="retention-note">
        Changing retention reschedules nothing already scheduled; it applies to your next answers.
      </p>
      <div className="field-row">
        <FormField label="New cards per day" error={errors.fields.newCardsPerDay} hint="0 pauses new cards.">
          {(control) => (
            <input
              {...control}
              name="newCardsPerDay"
              type="number"
              inputMode="numeric"
              min={0}
              max={9999}
              step={1}
              defaultValue={settings.newCardsPerDay}
              required
            />
          )}
        </FormField>
        <FormField
          label="Maximum reviews per day"
          error={errors.fields.maxReviewsPerDay}
          hint="Reviews beyond it wait for the next day."
        >
          {(control) => (
            <input
              {...control}
              name="maxReviewsPerDay"
              type="number"
              inputMode="numeric"
              min={0}
              max={99999}
              step={1}
              defaultValue={settings.maxReviewsPerDay}
              required
            />
          )}
        </FormField>
      </div>
      <div className="field-row">
        <FormField
          label="Learning steps"
          error={errors.fields.learningSteps}
          hint="Waits before a new card is seen again, e.g. “1m 10m” (m minutes, h hours, d days)."
        >
          {(control) => (
            <input
              {...control}
              name="learningSteps"
              type="text"
              autoComplete="off"
              spellCheck={false}
              defaultValue={settings.learningSteps}
            />
          )}
        </FormField>
        <FormField
          label="Relearning steps"
          error={errors.fields.relearningSteps}
          hint="Waits after you forget a card, e.g. “10m”."
        >
          {(control) => (
            <input
              {...control}
              name="relearningSteps"
              type="text"
              autoComplete="off"
              spellCheck={false}
              defaultValue={settings.relearningSteps}
            />
          )}
        </FormField>
      </div>
      <FormField
        label="New day starts at"
        error={errors.fields.dayBoundaryHour}
        hint="Daily limits reset at this hour, in your time zone."
      >
        {(control) => (
          <select {...control} name="dayBoundaryHour" defaultValue={String(settings.dayBoundaryHour)}>
            <Options values={HOURS} label={(h) => `${String(h).padStart(2, '0')}:00`} />
          </select>
        )}
      </FormField>
      <p className="muted settings-parameters">
        {settings.personalisedParameters
          ? 'Scheduling uses parameters fitted to your own review history.'
          : 'Scheduling uses the default FSRS parameters until there is enough of your review history to fit them.'}
      </p>
      <div className="form-actions">
        <Button type="submit" busy={busy} busyLabel="Saving…">
          Save settings
        </Button>
        <StatusMessage>{status}</StatusMessage>
      </div>
    </form>
  );
}

export function ReviewSettingsPage() {
  const settings = useQuery('review-settings', () => reviewApi.settings());
  return (
    <Page
      title="Review settings"
      description={
        <>
          How often cards come back. <Link to="/review">Back to review</Link>
        </>
      }
    >
      <section className="card section settings-card" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="visually-hidden">
          Scheduling
        </h2>
        {settings.status === 'error' && <RetryAlert error={settings.error} onRetry={settings.reload} />}
        {settings.status === 'loading' && !settings.data && <PageLoading label="Loading your settings…" />}
        {/* Saving reloads; the form keeps what was typed, so it is not remounted. */}
        {settings.data && <SettingsForm settings={settings.data} onSaved={settings.reload} />}
      </section>
    </Page>
  );
}
