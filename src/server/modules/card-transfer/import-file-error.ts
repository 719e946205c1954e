import { DomainError } from '../../http/errors.js';

/**
 * A file the import refuses whole (not UTF-8, no header, a row with the wrong number of columns, not a zip…).
 * The message names the problem; nothing of the file is written.
 */
export class ImportFileError extends DomainError {
  constructor(problem: string) {
    super('validation_failed', `the file was refused: ${problem}`, [{ field: 'file', message: problem }]);
  }
}
