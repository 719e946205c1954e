import type { InputHTMLAttributes, ReactNode } from 'react';
import { Button } from '../../components/Button.js';
import { fieldId, patchRow, removeRow } from './draft.js';
import { EditorField, type ErrorLookup, FieldError } from './EditorField.js';

interface Row {
  key: string;
}

/** Changes a list of the draft: `update` gets its latest rows, as a React state updater does. */
type RowsChange<T extends Row> = (update: (rows: T[]) => T[]) => void;

function RemoveRowButton({ label, disabled, onClick }: { label: string; disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" className="row-remove" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" stroke="currentColor" fill="none">
        <path d="M4 4l8 8M12 4l-8 8" strokeWidth="2" strokeLinecap="round" />
      </svg>
    </button>
  );
}

export function AddRowButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button variant="ghost" size="small" className="add-row" onClick={onClick}>
      {children}
    </Button>
  );
}

/**
 * The rows of a list: each row's boxes (from `children`, given a function that changes the row) and a button that
 * removes it — "Remove <noun> <n>", disabled while it is the only row.
 */
export function EditorRows<T extends Row>({
  rows,
  rowClassName,
  noun,
  onChange,
  children,
}: {
  rows: readonly T[];
  /** Sets the row's columns: `vocab-row`, `phrase-row`… */
  rowClassName: string;
  noun: string;
  onChange: RowsChange<T>;
  children: (row: T, index: number, update: (patch: Partial<T>) => void) => ReactNode;
}) {
  return rows.map((row, i) => (
    <div key={row.key} className={`editor-row ${rowClassName}`}>
      {children(row, i, (patch) => onChange((all) => patchRow(all, row.key, patch)))}
      <RemoveRowButton
        label={`Remove ${noun} ${i + 1}`}
        disabled={rows.length <= 1}
        onClick={() => onChange((all) => removeRow(all, row.key))}
      />
    </div>
  ));
}

/**
 * A table-like list of the editor (words, phrases, objectives) as a fieldset the error summary can focus: its
 * legend and hint, column headings for sighted users, the rows, the API's message about the whole list, and a
 * button that adds a row (while there are fewer than `max`).
 */
export function EditorList<T extends Row>({
  path,
  legend,
  hint,
  columns,
  addLabel,
  max = Infinity,
  newRow,
  rows,
  errors,
  onChange,
  rowClassName,
  noun,
  children,
}: {
  /** The list's path in the scenario, e.g. `phases.0.languages.es.vocabulary`. */
  path: string;
  legend: string;
  hint?: ReactNode;
  columns: string[];
  addLabel: string;
  max?: number;
  newRow: (rows: readonly T[]) => T;
  rows: readonly T[];
  errors: ErrorLookup;
  onChange: RowsChange<T>;
  rowClassName: string;
  noun: string;
  children: (row: T, index: number, update: (patch: Partial<T>) => void) => ReactNode;
}) {
  const error = errors.at(path);
  return (
    <fieldset className="editor-list" id={fieldId(path)} tabIndex={-1}>
      <legend className="editor-list-legend">{legend}</legend>
      {hint && <p className="field-hint editor-list-hint">{hint}</p>}
      <div className="editor-rows">
        <div className={`editor-row editor-row-head ${rowClassName}`} aria-hidden="true">
          {columns.map((column) => (
            <span key={column}>{column}</span>
          ))}
        </div>
        <EditorRows rows={rows} rowClassName={rowClassName} noun={noun} onChange={onChange}>
          {children}
        </EditorRows>
      </div>
      {error && <FieldError>{error}</FieldError>}
      {rows.length < max && (
        <AddRowButton onClick={() => onChange((all) => [...all, newRow(all)])}>{addLabel}</AddRowButton>
      )}
    </fieldset>
  );
}

/**
 * A text box in a row of a list: its label is for screen readers only (the list's column heading or placeholder
 * shows it), and the API's message about its path is shown under it.
 */
export function RowInput({
  path,
  label,
  errors,
  value,
  onChange,
  ...input
}: {
  path: string;
  label: string;
  errors: ErrorLookup;
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'value' | 'onChange'>) {
  return (
    <EditorField path={path} label={label} labelHidden error={errors.at(path)}>
      {(control) => (
        <input {...control} type="text" {...input} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </EditorField>
  );
}
