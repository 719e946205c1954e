import type { TargetLanguage } from '../../../shared/languages.js';
import { Button } from '../../components/Button.js';
import { type DraftLanguage, type DraftPhase, emptyLanguage, emptyObjective, fieldId } from './draft.js';
import { EditorField, type ErrorLookup, FieldError } from './EditorField.js';
import { EditorList, RowInput } from './EditorList.js';
import { LanguageEditor } from './LanguageEditor.js';

const MAX_OBJECTIVES = 8;

/** One phase of a custom scenario: what it is about, its objectives and success criteria, and its content per language. */
export function PhaseEditor({
  phase,
  index,
  canRemove,
  languages,
  errors,
  onChange,
  onRemove,
}: {
  phase: DraftPhase;
  index: number;
  /** A scenario keeps at least 2 phases: the button is not offered below that. */
  canRemove: boolean;
  languages: TargetLanguage[];
  errors: ErrorLookup;
  onChange: (update: (phase: DraftPhase) => DraftPhase) => void;
  onRemove: () => void;
}) {
  const base = `phases.${index}`;
  const number = index + 1;
  const headingId = `${fieldId(base)}-heading`;
  const set = (patch: Partial<DraftPhase>) => onChange((p) => ({ ...p, ...patch }));
  const setLanguage = (language: TargetLanguage, update: (c: DraftLanguage) => DraftLanguage) =>
    onChange((p) => ({
      ...p,
      languages: { ...p.languages, [language]: update(p.languages[language] ?? emptyLanguage()) },
    }));

  return (
    <section className="card section phase-editor" id={fieldId(base)} tabIndex={-1} aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>
          Phase {number}
          {phase.name.trim() && <span className="muted">: {phase.name.trim()}</span>}
        </h2>
        {canRemove && (
          <Button variant="ghost" size="small" className="btn-danger-outline" onClick={onRemove}>
            Remove phase {number}
          </Button>
        )}
      </div>
      {errors.at(base) && <FieldError>{errors.at(base)}</FieldError>}
      {errors.at(`${base}.id`) && <FieldError>Phase id: {errors.at(`${base}.id`)}</FieldError>}

      <div className="field-row">
        <EditorField path={`${base}.name`} label="Name" error={errors.at(`${base}.name`)}>
          {(control) => (
            <input
              {...control}
              type="text"
              value={phase.name}
              maxLength={80}
              onChange={(e) => set({ name: e.target.value })}
            />
          )}
        </EditorField>
        <EditorField path={`${base}.goal`} label="Goal" error={errors.at(`${base}.goal`)}>
          {(control) => (
            <input
              {...control}
              type="text"
              value={phase.goal}
              maxLength={300}
              onChange={(e) => set({ goal: e.target.value })}
            />
          )}
        </EditorField>
      </div>

      <EditorList
        path={`${base}.objectives`}
        legend="Objectives"
        hint="What the learner should do in this phase. The id names it in the patterns below."
        columns={['Id', 'Description']}
        rowClassName="objective-row"
        noun="objective"
        addLabel="+ Add an objective"
        max={MAX_OBJECTIVES}
        newRow={emptyObjective}
        rows={phase.objectives}
        errors={errors}
        onChange={(update) => onChange((p) => ({ ...p, objectives: update(p.objectives) }))}
      >
        {(o, i, update) => {
          const path = `${base}.objectives.${i}`;
          return (
            <>
              <RowInput
                path={`${path}.id`}
                label={`Id of objective ${i + 1} (phase ${number})`}
                errors={errors}
                value={o.id}
                maxLength={80}
                spellCheck={false}
                autoCapitalize="off"
                onChange={(id) => update({ id })}
              />
              <RowInput
                path={`${path}.description`}
                label={`Objective ${i + 1} (phase ${number})`}
                errors={errors}
                value={o.description}
                maxLength={200}
                placeholder="e.g. Ask for the menu"
                onChange={(description) => update({ description })}
              />
            </>
          );
        }}
      </EditorList>

      <fieldset className="editor-list" id={fieldId(`${base}.successCriteria`)} tabIndex={-1}>
        <legend className="editor-list-legend">Success criteria</legend>
        <EditorField
          path={`${base}.successCriteria.description`}
          label="Description"
          hint="Shown to the learner, e.g. “Greet the waiter and say how many you are”."
          error={errors.at(`${base}.successCriteria.description`)}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              value={phase.criteria}
              maxLength={300}
              onChange={(e) => set({ criteria: e.target.value })}
            />
          )}
        </EditorField>
        <div className="field-row">
          <EditorField
            path={`${base}.successCriteria.objectivesRequired`}
            label="Objectives needed to move on"
            error={errors.at(`${base}.successCriteria.objectivesRequired`)}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={1}
                max={phase.objectives.length}
                value={phase.objectivesRequired}
                onChange={(e) => set({ objectivesRequired: e.target.value })}
              />
            )}
          </EditorField>
          <EditorField
            path={`${base}.successCriteria.vocabularyRequired`}
            label="Words from the list to use"
            error={errors.at(`${base}.successCriteria.vocabularyRequired`)}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={0}
                value={phase.vocabularyRequired}
                onChange={(e) => set({ vocabularyRequired: e.target.value })}
              />
            )}
          </EditorField>
        </div>
      </fieldset>

      {languages.length === 0 && <p className="muted">Tick a target language above to write this phase’s content.</p>}
      {languages.map((language) => (
        <LanguageEditor
          key={language}
          phasePath={base}
          phaseNumber={number}
          language={language}
          content={phase.languages[language] ?? emptyLanguage()}
          objectives={phase.objectives}
          errors={errors}
          onChange={(update) => setLanguage(language, update)}
        />
      ))}
    </section>
  );
}
