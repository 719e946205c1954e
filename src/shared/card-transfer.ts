import { z } from 'zod';
import { TARGET_LANGUAGES } from './languages.js';

export const IMPORT_FORMATS = ['csv', 'tsv', 'apkg'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['csv', 'tsv', 'apkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The largest file the import accepts, in bytes. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export const ImportQuerySchema = z.strictObject({
  format: z.enum(IMPORT_FORMATS),
  language: z.enum(TARGET_LANGUAGES),
});

export const RejectedRowSchema = z.object({
  /** CSV/TSV: the line the row starts on (the header is line 1). .apkg: the note's position, oldest first. */
  line: z.number().int(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRowSchema>;

export const ImportResultSchema = z.object({
  /** Rows that made a new card. */
  created: z.number().int(),
  /** Rows whose term was already a card (yours before, or made by an earlier row of the file): one encounter more. */
  existing: z.number().int(),
  /** Rows left out, each with why. */
  rejected: z.array(RejectedRowSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const ExportQuerySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  language: z.enum(TARGET_LANGUAGES),
});
