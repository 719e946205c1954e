import { type ReactNode, useId, useState } from 'react';
import type { Budget, BudgetMode, BudgetPeriod, GlobalBudgetBody } from '../../../shared/budget.js';
import { ApiError } from '../../api/client.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Options, TimeZoneOptions } from '../../components/options.js';
import {
  BUDGET_MODE_EFFECTS,
  BUDGET_MODE_LABELS,
  BUDGET_MODE_LIST,
  BUDGET_PERIOD_LABELS,
  BUDGET_PERIOD_LIST,
  DEFAULT_THRESHOLDS_TEXT,
  parseAmount,
  parseThresholds,
} from '../../lib/budget-format.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';

const FIELDS = ['period', 'customDays', 'anchorDate', 'limitUsd', 'thresholds', 'mode', 'timezone'] as const;

interface BudgetFormProps {
  /** The budget as it is, or null for a new one. */
  budget: Budget | null;
  /** The global budget has a time zone of its own; a user's runs in the user's (`userTimezone`). */
  scope: 'global' | 'user';
  userTimezone?: string;
  submitLabel: string;
  /** Saves the body (a user's has no `timezone`); answers the status message to show, if any. */
  onSave: (body: GlobalBudgetBody) => Promise<string | void>;
  /** Buttons after the submit button (e.g. Remove). */
  actions?: ReactNode;
  /** In a dialog: a Cancel button, and the buttons at the end of the row as in every dialog. */
  onCancel?: () => void;
}

/** A refusal of the form's own, in the API's error shape, so it is shown like the API's (next to its field). */
function invalid(field: (typeof FIELDS)[number], message: string): ApiError {
  return new ApiError(400, 'validation_failed', `invalid ${field}`, [{ field, message }]);
}

/**
 * Creates or replaces a budget: period (with the length and first day of a custom one), limit, alert thresholds,
 * what happens at the limit, and for the global budget its time zone. The API validates; its messages appear
 * next to the fields.
 */
export function BudgetForm({ budget, scope, userTimezone, submitLabel, onSave, actions, onCancel }: BudgetFormProps) {
  const modeErrorId = useId();
  const [period, setPeriod] = useState<BudgetPeriod>(budget?.period ?? 'monthly');
  const { formRef, busy, errors, status, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    const thresholds = parseThresholds(value('thresholds'));
    if (thresholds === null) throw invalid('thresholds', 'must be whole percentages separated by commas');
    const chosen = value('period') as BudgetPeriod;
    const body: GlobalBudgetBody = {
      period: chosen,
      limitUsd: parseAmount(value('limitUsd')) as number,
      mode: value('mode') as BudgetMode,
      thresholds,
    };
    if (chosen === 'custom') {
      const days = parseAmount(value('customDays'));
      if (days !== undefined) body.customDays = days;
      if (value('anchorDate')) body.anchorDate = value('anchorDate');
    }
    if (scope === 'global') body.timezone = value('timezone');
    return onSave(body);
  });
  const initialMode: BudgetMode = budget?.mode ?? 'warn';

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy} className="budget-form">
      <ErrorAlert>{errors.form}</ErrorAlert>
      <div className="field-row">
        <FormField label="Period" error={errors.fields.period}>
          {(control) => (
            <select
              {...control}
              name="period"
              value={period}
              onChange={(e) => setPeriod(e.target.value as BudgetPeriod)}
            >
              <Options values={BUDGET_PERIOD_LIST} label={(p) => BUDGET_PERIOD_LABELS[p]} />
            </select>
          )}
        </FormField>
        <FormField label="Limit (USD)" error={errors.fields.limitUsd} hint="Per period, in US dollars, e.g. 5 or 0.25.">
          {(control) => (
            <input
              {...control}
              name="limitUsd"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              defaultValue={budget ? String(budget.limitUsd) : ''}
              required
            />
          )}
        </FormField>
      </div>
      {period === 'custom' && (
        <div className="field-row">
          <FormField label="Length in days" error={errors.fields.customDays} hint="From 1 to 366 days.">
            {(control) => (
              <input
                {...control}
                name="customDays"
                type="number"
                inputMode="numeric"
                min={1}
                max={366}
                step={1}
                defaultValue={budget?.customDays ?? ''}
                required
              />
            )}
          </FormField>
          <FormField
            label="First day"
            optional
            error={errors.fields.anchorDate}
            hint="Periods follow each other from this day on. Default: today."
          >
            {(control) => <input {...control} name="anchorDate" type="date" defaultValue={budget?.anchorDate ?? ''} />}
          </FormField>
        </div>
      )}
      <FormField
        label="Alert thresholds (%)"
        error={errors.fields.thresholds}
        hint="Percentages of the limit, separated by commas. An alert is recorded once per period at each. Empty: no alerts."
      >
        {(control) => (
          <input
            {...control}
            name="thresholds"
            type="text"
            autoComplete="off"
            defaultValue={budget ? budget.thresholds.join(', ') : DEFAULT_THRESHOLDS_TEXT}
          />
        )}
      </FormField>
      <fieldset
        className={`field field-choices${errors.fields.mode ? ' field-invalid' : ''}`}
        aria-describedby={errors.fields.mode ? modeErrorId : undefined}
      >
        <legend className="field-label">When the limit is reached</legend>
        {BUDGET_MODE_LIST.map((mode) => (
          <label key={mode} className="choice">
            <input
              type="radio"
              name="mode"
              value={mode}
              defaultChecked={mode === initialMode}
              aria-invalid={errors.fields.mode ? true : undefined}
            />
            <span>
              <span className="choice-title">{BUDGET_MODE_LABELS[mode]}</span>
              <span className="choice-detail">{BUDGET_MODE_EFFECTS[mode]}</span>
            </span>
          </label>
        ))}
        {errors.fields.mode && (
          <p id={modeErrorId} className="field-error">
            {errors.fields.mode}
          </p>
        )}
      </fieldset>
      {scope === 'global' ? (
        <FormField label="Time zone" error={errors.fields.timezone} hint="Days, weeks and months begin in it.">
          {(control) => (
            <select {...control} name="timezone" defaultValue={budget?.timezone ?? 'UTC'}>
              <TimeZoneOptions current={budget?.timezone ?? 'UTC'} />
            </select>
          )}
        </FormField>
      ) : (
        userTimezone && (
          <p className="field-hint budget-form-zone">
            Periods begin in the user’s time zone, {userTimezone.replaceAll('_', ' ')}.
          </p>
        )
      )}
      {onCancel ? (
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" busy={busy} busyLabel="Saving…">
            {submitLabel}
          </Button>
        </div>
      ) : (
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Saving…">
            {submitLabel}
          </Button>
          {actions}
          <StatusMessage>{status}</StatusMessage>
        </div>
      )}
    </form>
  );
}
