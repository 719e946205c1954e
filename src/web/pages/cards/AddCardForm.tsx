import { useState } from 'react';
import type { Card } from '../../../shared/cards.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import { cardsApi } from '../../api/client.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { languageName } from '../../lib/format.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { optionalText, parseTags } from './tags.js';
import { Options } from '../../components/options.js';

const FIELDS = ['language', 'term', 'translation', 'contextSentence', 'tags'] as const;

/** Adds one card; keeps the language chosen and puts the keyboard back on the term for the next one. */
export function AddCardForm({
  defaultLanguage,
  onAdded,
}: {
  defaultLanguage: TargetLanguage;
  onAdded: (card: Card) => void;
}) {
  const [language, setLanguage] = useState<TargetLanguage>(defaultLanguage);
  const { formRef, busy, errors, status, onSubmit } = useFormSubmit(FIELDS, async (value, form) => {
    const { card, created } = await cardsApi.create({
      language,
      term: value('term'),
      translation: value('translation'),
      contextSentence: optionalText(value('contextSentence')),
      tags: parseTags(value('tags')),
    });
    onAdded(card);
    for (const name of ['term', 'translation', 'contextSentence'] as const) {
      const input = form.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = '';
    }
    (form.elements.namedItem('term') as HTMLInputElement | null)?.focus();
    return created
      ? `Added “${card.term}”.`
      : `“${card.term}” is already in your cards — encounter recorded (${card.encounters} so far).`;
  });

  return (
    <section className="card section" aria-labelledby="add-card-heading">
      <h2 id="add-card-heading">Add a card</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy} className="add-card-form">
        <ErrorAlert>{errors.form}</ErrorAlert>
        <div className="add-card-grid">
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
          <FormField label="Term" error={errors.fields.term}>
            {(control) => (
              <input {...control} name="term" type="text" lang={language} autoComplete="off" maxLength={200} required />
            )}
          </FormField>
          <FormField label="Translation" error={errors.fields.translation}>
            {(control) => (
              <input {...control} name="translation" type="text" autoComplete="off" maxLength={500} required />
            )}
          </FormField>
          <FormField label="Context sentence" optional error={errors.fields.contextSentence}>
            {(control) => (
              <input
                {...control}
                name="contextSentence"
                type="text"
                lang={language}
                autoComplete="off"
                maxLength={1000}
              />
            )}
          </FormField>
          <FormField label="Tags" optional error={errors.fields.tags} hint="Separated by commas or spaces.">
            {(control) => <input {...control} name="tags" type="text" autoComplete="off" />}
          </FormField>
        </div>
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Adding…">
            Add card
          </Button>
          <StatusMessage>{status}</StatusMessage>
        </div>
      </form>
    </section>
  );
}
