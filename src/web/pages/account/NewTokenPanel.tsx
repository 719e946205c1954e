import { useEffect, useRef, useState } from 'react';
import type { CreatedToken } from '../../../shared/auth.js';
import { StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';

/** Copies text with the Clipboard API; false where it is missing or refused (e.g. plain HTTP). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The token just created: shown once, with a way to copy it. */
export function NewTokenPanel({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    headingRef.current?.focus();
  }, [token.id]);

  const onCopy = async () => {
    if (await copyText(token.token)) {
      setStatus('Copied to the clipboard.');
      return;
    }
    inputRef.current?.focus();
    inputRef.current?.select();
    setStatus('Copying is not available here. The token is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
  };

  return (
    <div className="new-token" data-testid="new-token">
      <h3 ref={headingRef} tabIndex={-1}>
        Your new token “{token.name}”
      </h3>
      <p className="new-token-warning">
        <strong>Copy it now.</strong> For your security it is shown only this once; you won’t be able to see it again.
      </p>
      <div className="copy-row">
        <label htmlFor="new-token-value" className="visually-hidden">
          New API token
        </label>
        <input
          id="new-token-value"
          ref={inputRef}
          className="token-value"
          readOnly
          value={token.token}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button variant="primary" onClick={onCopy}>
          Copy
        </Button>
      </div>
      <StatusMessage>{status}</StatusMessage>
      <Button variant="ghost" size="small" onClick={onDone}>
        I’ve saved it, hide the token
      </Button>
    </div>
  );
}
