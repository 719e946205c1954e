import { type KeyboardEvent, useRef, useState } from 'react';
import type { TargetLanguage } from '../../../shared/languages.js';

/** A word: letters (with their marks), possibly joined by an apostrophe or a hyphen ("l'addition", "c'est-à-dire"). */
const WORD = /([\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*)/u;

export interface TextPiece {
  text: string;
  /** The piece's position in the text. */
  start: number;
  /** For a word, its index among the words; null for what lies between words. */
  word: number | null;
}

/** The text as words and what lies between them, in order. */
export function splitWords(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let start = 0;
  let words = 0;
  text.split(WORD).forEach((part, i) => {
    if (part) pieces.push({ text: part, start, word: i % 2 === 1 ? words++ : null });
    start += part.length;
  });
  return pieces;
}

/** The sentence of `text` that holds the character at `offset`: the context sent with a translation. */
export function sentenceAt(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const start = Math.max(before.lastIndexOf('.'), before.lastIndexOf('!'), before.lastIndexOf('?')) + 1;
  const rest = text.slice(offset).search(/[.!?…]/);
  const end = rest === -1 ? text.length : offset + rest + 1;
  return text.slice(start, end).trim();
}

export interface WordPick {
  word: string;
  /** The index of the word among the message's words. */
  index: number;
  sentence: string;
}

/**
 * A tutor message whose every word is a button: click or tap it, or press Enter or Space on it, to translate
 * it. The message is one stop for the Tab key; the arrow keys (and Home, End) move between its words.
 */
export function WordText({
  text,
  language,
  selected,
  controls,
  label,
  onPick,
}: {
  text: string;
  language: TargetLanguage;
  /** The index of the word whose translation is open. */
  selected: number | null;
  /** The id of the translation shown for the selected word. */
  controls: string;
  label: string;
  onPick: (pick: WordPick) => void;
}) {
  const pieces = splitWords(text);
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const wordCount = pieces.filter((p) => p.word !== null).length;

  const focusWord = (index: number) => {
    const next = Math.max(0, Math.min(wordCount - 1, index));
    setActive(next);
    refs.current[next]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: wordCount - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    focusWord(target);
  };

  return (
    <p className="message-text word-text" lang={language} role="group" aria-label={label}>
      {pieces.map((piece) => {
        const index = piece.word;
        if (index === null) return piece.text;
        return (
          <button
            key={piece.start}
            ref={(el) => {
              refs.current[index] = el;
            }}
            type="button"
            className={selected === index ? 'word word-selected' : 'word'}
            tabIndex={index === Math.min(active, wordCount - 1) ? 0 : -1}
            aria-expanded={selected === index || undefined}
            aria-controls={selected === index ? controls : undefined}
            onFocus={() => setActive(index)}
            onKeyDown={(e) => onKeyDown(e, index)}
            onClick={() => onPick({ word: piece.text, index, sentence: sentenceAt(text, piece.start) })}
          >
            {piece.text}
          </button>
        );
      })}
    </p>
  );
}
