import type { ReactNode } from 'react';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../shared/languages.js';
import { languageName } from '../lib/format.js';
import { Button } from './Button.js';
import { FormField } from './FormField.js';
import { Options } from './options.js';

/**
 * The filter form above a list: a search landmark named `label`, its fields, and "Clear filters" while any is set.
 * The fields apply as they change, so submitting (Enter) does nothing.
 */
export function FilterBar({
  label,
  className,
  filtered,
  onClear,
  children,
}: {
  label: string;
  /** Added to `card filters`. */
  className?: string;
  filtered: boolean;
  onClear: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={['card filters', className].filter(Boolean).join(' ')}
      role="search"
      aria-label={label}
      onSubmit={(e) => e.preventDefault()}
    >
      {children}
      {filtered && (
        <Button variant="ghost" className="filters-clear" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </form>
  );
}

interface FilterSelectProps<N extends string, T extends string> {
  label: string;
  /** The filter's query-string parameter, also the select's `name`. */
  name: N;
  /** The chosen option; `undefined` selects the first option, "All". */
  value: string | undefined;
  options: readonly T[];
  optionLabel: (option: T) => string;
  /** The first option's text, which removes the filter. */
  allLabel?: string;
  onChange: (name: N, value: string) => void;
}

/** A labelled filter select: "All" (the empty value), then one option per value. */
export function FilterSelect<N extends string, T extends string>({
  label,
  name,
  value,
  options,
  optionLabel,
  allLabel = 'All',
  onChange,
}: FilterSelectProps<N, T>) {
  return (
    <FormField label={label}>
      {(control) => (
        <select {...control} name={name} value={value ?? ''} onChange={(e) => onChange(name, e.target.value)}>
          <option value="">{allLabel}</option>
          <Options values={options} label={optionLabel} />
        </select>
      )}
    </FormField>
  );
}

/** The "Language" filter (`language`): every target language, by English name. */
export function LanguageFilterSelect({
  value,
  onChange,
}: {
  value: TargetLanguage | undefined;
  onChange: (name: 'language', value: string) => void;
}) {
  return (
    <FilterSelect
      label="Language"
      name="language"
      value={value}
      options={TARGET_LANGUAGES}
      optionLabel={languageName}
      onChange={onChange}
    />
  );
}
