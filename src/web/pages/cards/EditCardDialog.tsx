import { useEffect, useRef } from 'react';
import type { Card } from '../../../shared/cards.js';
import { cardsApi } from '../../api/client.js';
import { ErrorAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { useFormSubmit } from '../../lib/use-form-submit.js';
import { formatTags, optionalText, parseTags } from './tags.js';

const FIELDS = [
  'term',
  'translation',
  'partOfSpeech',
  'contextSentence',
  'contextTranslation',
  'notes',
  'tags',
] as const;

/**
 * Edits a card's words in a modal <dialog> (focus trapped, Escape closes, focus returns to the Edit button).
 * Scheduling is untouched by an edit.
 */
export function EditCardDialog({
  card,
  onSaved,
  onClose,
}: {
  card: Card;
  onSaved: (card: Card) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { formRef, busy, errors, onSubmit } = useFormSubmit(FIELDS, async (value) => {
    const saved = await cardsApi.update(card.id, {
      term: value('term'),
      translation: value('translation'),
      partOfSpeech: optionalText(value('partOfSpeech')),
      contextSentence: optionalText(value('contextSentence')),
      contextTranslation: optionalText(value('contextTranslation')),
      notes: optionalText(value('notes')),
      tags: parseTags(value('tags')),
    });
    onSaved(saved);
  });

  useEffect(() => {
    const dialog = ref.current;
    // Unmounting closes the dialog without the browser giving focus back, so it is given back here.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => opener?.focus();
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog dialog-wide"
      aria-labelledby="edit-card-title"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id="edit-card-title">Edit “{card.term}”</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorAlert>{errors.form}</ErrorAlert>
        <div className="field-row">
          <FormField label="Term" error={errors.fields.term}>
            {(control) => (
              <input
                {...control}
                name="term"
                type="text"
                lang={card.language}
                defaultValue={card.term}
                maxLength={200}
                required
                autoComplete="off"
              />
            )}
          </FormField>
          <FormField label="Translation" error={errors.fields.translation}>
            {(control) => (
              <input
                {...control}
                name="translation"
                type="text"
                defaultValue={card.translation}
                maxLength={500}
                required
                autoComplete="off"
              />
            )}
          </FormField>
        </div>
        <FormField label="Part of speech" optional error={errors.fields.partOfSpeech}>
          {(control) => (
            <input
              {...control}
              name="partOfSpeech"
              type="text"
              defaultValue={card.partOfSpeech ?? ''}
              maxLength={40}
              autoComplete="off"
            />
          )}
        </FormField>
        <FormField label="Context sentence" optional error={errors.fields.contextSentence}>
          {(control) => (
            <input
              {...control}
              name="contextSentence"
              type="text"
              lang={card.language}
              defaultValue={card.contextSentence ?? ''}
              maxLength={1000}
              autoComplete="off"
            />
          )}
        </FormField>
        <FormField label="Context translation" optional error={errors.fields.contextTranslation}>
          {(control) => (
            <input
              {...control}
              name="contextTranslation"
              type="text"
              defaultValue={card.contextTranslation ?? ''}
              maxLength={1000}
              autoComplete="off"
            />
          )}
        </FormField>
        <FormField label="Notes" optional error={errors.fields.notes}>
          {(control) => (
            <textarea {...control} name="notes" rows={3} defaultValue={card.notes ?? ''} maxLength={2000} />
          )}
        </FormField>
        <FormField label="Tags" optional error={errors.fields.tags} hint="Separated by commas or spaces.">
          {(control) => (
            <input {...control} name="tags" type="text" defaultValue={formatTags(card.tags)} autoComplete="off" />
          )}
        </FormField>
        <div className="dialog-actions">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" busy={busy} busyLabel="Saving…">
            Save card
          </Button>
        </div>
      </form>
    </dialog>
  );
}
