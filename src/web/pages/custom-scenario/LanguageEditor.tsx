import type { TargetLanguage } from '../../../shared/languages.js';
import { languageName } from '../../lib/format.js';
import {
  type DraftLanguage,
  type DraftLine,
  type DraftObjective,
  emptyLine,
  emptyPhrase,
  emptyVocabulary,
  fieldId,
} from './draft.js';
import { EditorField, type ErrorLookup, FieldError } from './EditorField.js';
import { AddRowButton, EditorList, EditorRows, RowInput } from './EditorList.js';

/**
 * One phase's content in one target language: its words and phrases (with English glosses), the tutor's lines,
 * the patterns that recognise each objective, and the cultural note.
 */
export function LanguageEditor({
  phasePath,
  phaseNumber,
  language,
  content,
  objectives,
  errors,
  onChange,
}: {
  /** `phases.<i>` */
  phasePath: string;
  phaseNumber: number;
  language: TargetLanguage;
  content: DraftLanguage;
  objectives: DraftObjective[];
  errors: ErrorLookup;
  onChange: (update: (content: DraftLanguage) => DraftLanguage) => void;
}) {
  const base = `${phasePath}.languages.${language}`;
  const name = languageName(language);
  const where = `phase ${phaseNumber}, ${name}`;
  const followUps = `${base}.tutorLines.followUps`;
  const setFollowUps = (update: (rows: DraftLine[]) => DraftLine[]) =>
    onChange((c) => ({ ...c, followUps: update(c.followUps) }));

  return (
    <fieldset className="language-editor" id={fieldId(base)} tabIndex={-1}>
      <legend className="language-editor-legend">{name}</legend>
      {errors.at(base) && <FieldError>{errors.at(base)}</FieldError>}

      <EditorList
        path={`${base}.vocabulary`}
        legend="Words"
        hint="At least 3, each with its English meaning."
        columns={['Term', 'English', 'Part of speech']}
        rowClassName="vocab-row"
        noun="word"
        addLabel="+ Add a word"
        newRow={emptyVocabulary}
        rows={content.vocabulary}
        errors={errors}
        onChange={(update) => onChange((c) => ({ ...c, vocabulary: update(c.vocabulary) }))}
      >
        {(v, i, update) => {
          const path = `${base}.vocabulary.${i}`;
          return (
            <>
              <RowInput
                path={`${path}.term`}
                label={`Word ${i + 1} (${where})`}
                errors={errors}
                lang={language}
                value={v.term}
                placeholder="Term"
                maxLength={80}
                onChange={(term) => update({ term })}
              />
              <RowInput
                path={`${path}.gloss`}
                label={`English meaning of word ${i + 1} (${where})`}
                errors={errors}
                value={v.gloss}
                placeholder="English"
                maxLength={120}
                onChange={(gloss) => update({ gloss })}
              />
              <RowInput
                path={`${path}.partOfSpeech`}
                label={`Part of speech of word ${i + 1} (${where}), optional`}
                errors={errors}
                value={v.partOfSpeech}
                placeholder="noun, verb… (optional)"
                maxLength={30}
                onChange={(partOfSpeech) => update({ partOfSpeech })}
              />
            </>
          );
        }}
      </EditorList>

      <EditorList
        path={`${base}.phrases`}
        legend="Phrases"
        hint="At least 3 useful sentences, each with its English meaning."
        columns={['Phrase', 'English']}
        rowClassName="phrase-row"
        noun="phrase"
        addLabel="+ Add a phrase"
        newRow={emptyPhrase}
        rows={content.phrases}
        errors={errors}
        onChange={(update) => onChange((c) => ({ ...c, phrases: update(c.phrases) }))}
      >
        {(p, i, update) => {
          const path = `${base}.phrases.${i}`;
          return (
            <>
              <RowInput
                path={`${path}.text`}
                label={`Phrase ${i + 1} (${where})`}
                errors={errors}
                lang={language}
                value={p.text}
                placeholder="Phrase"
                maxLength={200}
                onChange={(text) => update({ text })}
              />
              <RowInput
                path={`${path}.gloss`}
                label={`English meaning of phrase ${i + 1} (${where})`}
                errors={errors}
                value={p.gloss}
                placeholder="English"
                maxLength={200}
                onChange={(gloss) => update({ gloss })}
              />
            </>
          );
        }}
      </EditorList>

      <fieldset className="editor-list" id={fieldId(`${base}.tutorLines`)} tabIndex={-1}>
        <legend className="editor-list-legend">What the tutor says</legend>
        <EditorField
          path={`${base}.tutorLines.opening`}
          label="Opening line"
          hint="The tutor’s first words when this phase begins."
          error={errors.at(`${base}.tutorLines.opening`)}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              lang={language}
              value={content.opening}
              maxLength={400}
              onChange={(e) => onChange((c) => ({ ...c, opening: e.target.value }))}
            />
          )}
        </EditorField>
        <div className="editor-rows" id={fieldId(followUps)} tabIndex={-1}>
          <p className="field-label editor-sublabel">Follow-ups, in order</p>
          <EditorRows rows={content.followUps} rowClassName="line-row" noun="follow-up" onChange={setFollowUps}>
            {(f, i, update) => (
              <RowInput
                path={`${followUps}.${i}`}
                label={`Follow-up ${i + 1} (${where})`}
                errors={errors}
                lang={language}
                value={f.text}
                placeholder={`Follow-up ${i + 1}`}
                maxLength={400}
                onChange={(text) => update({ text })}
              />
            )}
          </EditorRows>
          {errors.at(followUps) && <FieldError>{errors.at(followUps)}</FieldError>}
          <AddRowButton onClick={() => setFollowUps((rows) => [...rows, emptyLine()])}>+ Add a follow-up</AddRowButton>
        </div>
      </fieldset>

      <fieldset className="editor-list" id={fieldId(`${base}.objectivePatterns`)} tabIndex={-1}>
        <legend className="editor-list-legend">How the offline tutor recognises each objective</legend>
        <p className="field-hint editor-list-hint">
          One pattern per line: words the learner might write, e.g. <code>una mesa para *</code>. A word ending in{' '}
          <code>*</code> matches any word starting with it; a lone <code>*</code> matches any one word. Case, accents
          and small typos do not matter.
        </p>
        {errors.at(`${base}.objectivePatterns`) && <FieldError>{errors.at(`${base}.objectivePatterns`)}</FieldError>}
        {objectives.map((o, i) => (
          <EditorField
            key={o.key}
            path={`${base}.objectivePatterns.${o.id.trim()}`}
            label={o.description.trim() ? `Objective ${i + 1}: ${o.description.trim()}` : `Objective ${i + 1}`}
            error={errors.under(`${base}.objectivePatterns.${o.id.trim()}`)}
          >
            {(control) => (
              <textarea
                {...control}
                lang={language}
                rows={Math.min(6, Math.max(2, (content.patterns[o.key] ?? '').split('\n').length))}
                value={content.patterns[o.key] ?? ''}
                onChange={(e) => onChange((c) => ({ ...c, patterns: { ...c.patterns, [o.key]: e.target.value } }))}
              />
            )}
          </EditorField>
        ))}
      </fieldset>

      <EditorField
        path={`${base}.culturalNote`}
        label="Cultural note"
        optional
        hint={`In English: how this situation goes where ${name} is spoken.`}
        error={errors.at(`${base}.culturalNote`)}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={600}
            value={content.culturalNote}
            onChange={(e) => onChange((c) => ({ ...c, culturalNote: e.target.value }))}
          />
        )}
      </EditorField>
    </fieldset>
  );
}
