import { LANGUAGE_NAMES, NATIVE_LANGUAGES } from '../../shared/languages.js';
import { timeZoneOptions } from '../lib/format.js';

/** The <option>s of a native-language picker, by English name. */
export function NativeLanguageOptions() {
  const sorted = [...NATIVE_LANGUAGES].sort((a, b) => LANGUAGE_NAMES[a].localeCompare(LANGUAGE_NAMES[b]));
  return sorted.map((code) => (
    <option key={code} value={code}>
      {LANGUAGE_NAMES[code]}
    </option>
  ));
}

/** The <option>s of a time-zone picker; `current` is always among them. */
export function TimeZoneOptions({ current }: { current: string }) {
  return timeZoneOptions(current).map((zone) => (
    <option key={zone} value={zone}>
      {zone.replaceAll('_', ' ')}
    </option>
  ));
}

/** The <option>s of a picker: one per value, each shown as `label(value)`. */
export function Options<T extends string | number>({
  values,
  label,
}: {
  values: readonly T[];
  label: (value: T) => string;
}) {
  return values.map((value) => (
    <option key={value} value={value}>
      {label(value)}
    </option>
  ));
}
