import { ValidationError } from '../http/errors.js';

/**
 * Keyset-pagination cursors: the (time, id) position of the last row of a page, opaque to clients. Lists order
 * by that pair, so following cursors visits every row once even while rows are being added.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** The position a cursor from `encodeCursor` names; a 400 naming `cursor` for anything else. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { at: value[0] as string, id: value[1] as string };
    }
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API gave out' }]);
}
