import type { TargetLanguage } from '../../../shared/languages.js';
import type { ScenarioView } from '../../../shared/scenarios.js';
import { SpeakButton } from '../../components/SpeakButton.js';
import { languageName } from '../../lib/format.js';

/**
 * The Learn step: for each phase of the scenario, what to achieve and the words and phrases to do it with, each
 * with its English gloss and a button that reads it aloud, then the cultural note.
 */
export function LearnStep({ scenario, language }: { scenario: ScenarioView; language: TargetLanguage }) {
  return (
    <section className="card section learn-step" aria-labelledby="learn-heading">
      <div className="section-header">
        <h2 id="learn-heading">Learn before you start</h2>
        <span className="muted">{languageName(language)}</span>
      </div>
      <ol className="learn-phases">
        {scenario.phases.map((phase, index) => {
          const content = phase.languages[language];
          const headingId = `learn-phase-${index}`;
          return (
            <li key={phase.id} className="learn-phase">
              <section aria-labelledby={headingId}>
                <h3 id={headingId} className="learn-phase-title">
                  <span className="learn-phase-number" aria-hidden="true">
                    {index + 1}
                  </span>
                  <span>
                    <span className="visually-hidden">Phase {index + 1}: </span>
                    {phase.name}
                  </span>
                </h3>
                <p className="learn-goal">{phase.goal}</p>
                <ul className="learn-objectives" aria-label={`Goals of “${phase.name}”`}>
                  {phase.objectives.map((o) => (
                    <li key={o.id}>{o.description}</li>
                  ))}
                </ul>
                {!content ? (
                  <p className="muted">This phase has no {languageName(language)} version.</p>
                ) : (
                  <>
                    <h4 className="learn-subheading">Words</h4>
                    <ul className="vocab-list" aria-label={`Words for “${phase.name}”`}>
                      {content.vocabulary.map((v, i) => (
                        <li key={`${i}-${v.term}`} className="vocab-item">
                          <span className="vocab-term" lang={language}>
                            {v.term}
                          </span>
                          <SpeakButton text={v.term} language={language} small />
                          <span className="vocab-gloss">
                            {v.gloss}
                            {v.partOfSpeech && <span className="vocab-pos"> · {v.partOfSpeech}</span>}
                          </span>
                        </li>
                      ))}
                    </ul>
                    <h4 className="learn-subheading">Phrases</h4>
                    <ul className="phrase-list" aria-label={`Phrases for “${phase.name}”`}>
                      {content.phrases.map((p, i) => (
                        <li key={`${i}-${p.text}`} className="phrase-item">
                          <div className="phrase-text-row">
                            <span className="phrase-text" lang={language}>
                              {p.text}
                            </span>
                            <SpeakButton text={p.text} language={language} small />
                          </div>
                          <span className="phrase-gloss">{p.gloss}</span>
                        </li>
                      ))}
                    </ul>
                    {content.culturalNote && (
                      <aside className="cultural-note" aria-label={`Cultural note on “${phase.name}”`}>
                        <p className="cultural-note-title">Cultural note</p>
                        <p>{content.culturalNote}</p>
                      </aside>
                    )}
                  </>
                )}
              </section>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
