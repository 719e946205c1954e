import type { TargetLanguage } from '../../shared/languages.js';
import { SPEECH_LOCALES } from '../lib/format.js';

const canSpeak = typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;

function speak(text: string, language: TargetLanguage) {
  const locale = SPEECH_LOCALES[language];
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = locale;
  // Prefer a voice of the exact region, else any of the language; without one the browser picks by `lang`.
  const voices = window.speechSynthesis.getVoices();
  const voice =
    voices.find((v) => v.lang.replace('_', '-') === locale) ??
    voices.find((v) => v.lang.toLowerCase().startsWith(`${language}-`) || v.lang.toLowerCase() === language);
  if (voice) utterance.voice = voice;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(utterance);
}

/**
 * Reads a term aloud in its language with the browser's speech synthesis; absent where there is none. `small`
 * for lists of words (the Learn step), where the icon sits beside each one.
 */
export function SpeakButton({
  text,
  language,
  small = false,
}: {
  text: string;
  language: TargetLanguage;
  small?: boolean;
}) {
  if (!canSpeak) return null;
  return (
    <button
      type="button"
      className={small ? 'btn btn-ghost btn-icon speak-small' : 'btn btn-ghost btn-icon'}
      aria-label={`Listen to “${text}”`}
      title="Listen"
      onClick={() => speak(text, language)}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        width={small ? 18 : 22}
        height={small ? 18 : 22}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M11 5 6 9H3v6h3l5 4z" fill="currentColor" />
        <path d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13" />
      </svg>
    </button>
  );
}
