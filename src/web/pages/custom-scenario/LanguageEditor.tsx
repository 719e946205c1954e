import type { TargetLanguage } from '../../../shared/languages.js';
import { Button } from '../../components/Button.js';
import { languageName } from '../../lib/format.js';
import { type DraftLanguage, type DraftObjective, emptyLine, emptyPhrase, emptyVocabulary, fieldId } from './draft.js';
import { EditorField, type ErrorLookup, FieldError } from './EditorField.js';

function RemoveButton({ label, disabled, onClick }: { label: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" className="row-remove" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" stroke="currentColor" fill="none">
        <path d="M4 4l8 8M12 4l-8 8" strokeWidth="2" strokeLinecap="round" />
      </svg>
    </button>
  );
}

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
  const listError = (path: string) => errors.at(path);

  return (
    <fieldset className="language-editor" id={fieldId(base)} tabIndex={-1}>
      <legend className="language-editor-legend">{name}</legend>
      {errors.at(base) && <FieldError>{errors.at(base)}</FieldError>}

      <fieldset className="editor-list" id={fieldId(`${base}.vocabulary`)} tabIndex={-1}>
        <legend className="editor-list-legend">Words</legend>
        <p className="field-hint editor-list-hint">At least 3, each with its English meaning.</p>
        <div className="editor-rows">
          <div className="editor-row editor-row-head vocab-row" aria-hidden="true">
            <span>Term</span>
            <span>English</span>
            <span>Part of speech</span>
          </div>
          {content.vocabulary.map((v, i) => {
            const path = `${base}.vocabulary.${i}`;
            const update = (patch: Partial<typeof v>) =>
              onChange((c) => ({
                ...c,
                vocabulary: c.vocabulary.map((x) => (x.key === v.key ? { ...x, ...patch } : x)),
              }));
            return (
              <div key={v.key} className="editor-row vocab-row">
                <EditorField
                  path={`${path}.term`}
                  label={`Word ${i + 1} (${where})`}
                  labelHidden
                  error={errors.at(`${path}.term`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      lang={language}
                      value={v.term}
                      placeholder="Term"
                      maxLength={80}
                      onChange={(e) => update({ term: e.target.value })}
                    />
                  )}
                </EditorField>
                <EditorField
                  path={`${path}.gloss`}
                  label={`English meaning of word ${i + 1} (${where})`}
                  labelHidden
                  error={errors.at(`${path}.gloss`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      value={v.gloss}
                      placeholder="English"
                      maxLength={120}
                      onChange={(e) => update({ gloss: e.target.value })}
                    />
                  )}
                </EditorField>
                <EditorField
                  path={`${path}.partOfSpeech`}
                  label={`Part of speech of word ${i + 1} (${where}), optional`}
                  labelHidden
                  error={errors.at(`${path}.partOfSpeech`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      value={v.partOfSpeech}
                      placeholder="noun, verb… (optional)"
                      maxLength={30}
                      onChange={(e) => update({ partOfSpeech: e.target.value })}
                    />
                  )}
                </EditorField>
                <RemoveButton
                  label={`Remove word ${i + 1}`}
                  disabled={content.vocabulary.length <= 1}
                  onClick={() => onChange((c) => ({ ...c, vocabulary: c.vocabulary.filter((x) => x.key !== v.key) }))}
                />
              </div>
            );
          })}
        </div>
        {listError(`${base}.vocabulary`) && <FieldError>{listError(`${base}.vocabulary`)}</FieldError>}
        <Button
          variant="ghost"
          size="small"
          className="add-row"
          onClick={() => onChange((c) => ({ ...c, vocabulary: [...c.vocabulary, emptyVocabulary()] }))}
        >
          + Add a word
        </Button>
      </fieldset>

      <fieldset className="editor-list" id={fieldId(`${base}.phrases`)} tabIndex={-1}>
        <legend className="editor-list-legend">Phrases</legend>
        <p className="field-hint editor-list-hint">At least 3 useful sentences, each with its English meaning.</p>
        <div className="editor-rows">
          <div className="editor-row editor-row-head phrase-row" aria-hidden="true">
            <span>Phrase</span>
            <span>English</span>
          </div>
          {content.phrases.map((p, i) => {
            const path = `${base}.phrases.${i}`;
            const update = (patch: Partial<typeof p>) =>
              onChange((c) => ({ ...c, phrases: c.phrases.map((x) => (x.key === p.key ? { ...x, ...patch } : x)) }));
            return (
              <div key={p.key} className="editor-row phrase-row">
                <EditorField
                  path={`${path}.text`}
                  label={`Phrase ${i + 1} (${where})`}
                  labelHidden
                  error={errors.at(`${path}.text`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      lang={language}
                      value={p.text}
                      placeholder="Phrase"
                      maxLength={200}
                      onChange={(e) => update({ text: e.target.value })}
                    />
                  )}
                </EditorField>
                <EditorField
                  path={`${path}.gloss`}
                  label={`English meaning of phrase ${i + 1} (${where})`}
                  labelHidden
                  error={errors.at(`${path}.gloss`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      value={p.gloss}
                      placeholder="English"
                      maxLength={200}
                      onChange={(e) => update({ gloss: e.target.value })}
                    />
                  )}
                </EditorField>
                <RemoveButton
                  label={`Remove phrase ${i + 1}`}
                  disabled={content.phrases.length <= 1}
                  onClick={() => onChange((c) => ({ ...c, phrases: c.phrases.filter((x) => x.key !== p.key) }))}
                />
              </div>
            );
          })}
        </div>
        {listError(`${base}.phrases`) && <FieldError>{listError(`${base}.phrases`)}</FieldError>}
        <Button
          variant="ghost"
          size="small"
          className="add-row"
          onClick={() => onChange((c) => ({ ...c, phrases: [...c.phrases, emptyPhrase()] }))}
        >
          + Add a phrase
        </Button>
      </fieldset>

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
        <div className="editor-rows" id={fieldId(`${base}.tutorLines.followUps`)} tabIndex={-1}>
          <p className="field-label editor-sublabel">Follow-ups, in order</p>
          {content.followUps.map((f, i) => (
            <div key={f.key} className="editor-row line-row">
              <EditorField
                path={`${base}.tutorLines.followUps.${i}`}
                label={`Follow-up ${i + 1} (${where})`}
                labelHidden
                error={errors.at(`${base}.tutorLines.followUps.${i}`)}
              >
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    lang={language}
                    value={f.text}
                    placeholder={`Follow-up ${i + 1}`}
                    maxLength={400}
                    onChange={(e) =>
                      onChange((c) => ({
                        ...c,
                        followUps: c.followUps.map((x) => (x.key === f.key ? { ...x, text: e.target.value } : x)),
                      }))
                    }
                  />
                )}
              </EditorField>
              <RemoveButton
                label={`Remove follow-up ${i + 1}`}
                disabled={content.followUps.length <= 1}
                onClick={() => onChange((c) => ({ ...c, followUps: c.followUps.filter((x) => x.key !== f.key) }))}
              />
            </div>
          ))}
          {listError(`${base}.tutorLines.followUps`) && (
            <FieldError>{listError(`${base}.tutorLines.followUps`)}</FieldError>
          )}
          <Button
            variant="ghost"
            size="small"
            className="add-row"
            onClick={() => onChange((c) => ({ ...c, followUps: [...c.followUps, emptyLine()] }))}
          >
            + Add a follow-up
          </Button>
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
