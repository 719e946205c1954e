import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ExportQuerySchema,
  IMPORT_MAX_BYTES,
  ImportQuerySchema,
  ImportResultSchema,
} from '../../../shared/card-transfer.js';
import { errorResponses } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { CardTransferService } from './card-transfer.service.js';
import { ImportFileError } from './import-file-error.js';

const tags = ['cards'];
const errors = errorResponses(400, 401, 403, 413, 415);
/** The content types an import body may have; each is read as raw bytes, whatever the format. */
const FILE_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain', 'application/octet-stream'];
const LIMIT_MB = IMPORT_MAX_BYTES / 1024 / 1024;
/** The bytes of an .apkg (sent as they are, never serialised); described in OpenAPI as a binary string. */
const ApkgBytes = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary' });

/**
 * Import and export of cards as files. The import takes the file itself as the request body (no multipart
 * form), so the body parsers below exist only inside this plugin.
 */
export function cardTransferRoutes(transfer: CardTransferService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    // On request rather than before the handler: a stranger's upload is refused before its body is read.
    app.addHook('onRequest', authn.requireUser);
    app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    // A body over the limit is refused before any handler runs; name the limit, then let the app's handler answer.
    app.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw Object.assign(new Error(`the file is larger than the import limit of ${LIMIT_MB} MB`), {
          statusCode: 413,
        });
      }
      throw err;
    });

    app.post(
      '/import',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary: `Import cards from a CSV, TSV or Anki .apkg file (the file itself as the body, at most ${LIMIT_MB} MB)`,
          description:
            'Send the file as the raw request body with content-type `text/csv`, `text/tab-separated-values`, ' +
            '`text/plain` or `application/octet-stream`; `format` says how to read it and `language` which of your ' +
            'languages the cards are in.\n\n' +
            'CSV/TSV: UTF-8 (a BOM is fine); a header line naming the columns `term` and `translation`, optionally ' +
            '`context` and `tags`, in any order and case; the delimiter (comma, semicolon or tab) is the one the ' +
            'header uses; fields quoted as in RFC 4180; tags separated by spaces, or by `;` when a tag has a space.\n\n' +
            '.apkg: each note becomes a card (first field the term, second the translation, HTML removed; its tags ' +
            'kept), and its first card’s review history is replayed so the card keeps its memory state.\n\n' +
            'All in one transaction: a file that cannot be read (not UTF-8, no header, a row with the wrong number of ' +
            'columns, not a zip, no collection inside) is refused whole with 400 naming the problem. Rows with an ' +
            'unacceptable value (an empty term…) are left out and listed in `rejected` with their line; terms you ' +
            'already have count as `existing` and record an encounter.',
          querystring: ImportQuerySchema,
          response: { 200: ImportResultSchema, ...errors },
        },
      },
      async (request) => {
        const file = request.body;
        if (!Buffer.isBuffer(file)) {
          throw new ImportFileError(
            `send the file itself as the body, with content-type ${FILE_TYPES.join(', ')} (not a form or JSON)`,
          );
        }
        const { format, language } = request.query;
        return transfer.importFile(principalOf(request).user.id, format, language, file);
      },
    );

    app.get(
      '/export',
      {
        schema: {
          tags,
          summary: 'Download one language’s cards as a CSV or TSV file, or as an Anki deck package (.apkg)',
          description:
            'CSV/TSV: the file the import reads back (term, translation, context, tags): same header, UTF-8 (CSV ' +
            'with a BOM), CRLF line ends.\n\n' +
            '.apkg: a deck package every Anki version imports (a legacy `collection.anki2` collection), each card a ' +
            'note of the note type “Language Tutor” (fields Term, Translation, Context, Context translation) in the ' +
            'deck “Language Tutor::<language>”, with its tags (spaces become `_`), suspension, scheduling (state, ' +
            'due day in your time zone and day boundary, interval, reps, lapses), FSRS memory state (stability and ' +
            'difficulty in the card’s `data`) and every answer in the review log. The deck’s options preset has ' +
            'your learning steps, daily limits and desired retention. Importing it here replays that review log, ' +
            'so the cards keep their memory state.',
          querystring: ExportQuerySchema,
          response: {
            200: {
              description: 'The file, as an attachment named `cards-<language>-<date>.<format>`',
              content: {
                'text/csv; charset=utf-8': { schema: z.string() },
                'text/tab-separated-values; charset=utf-8': { schema: z.string() },
                'application/octet-stream': { schema: ApkgBytes },
              },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { format, language } = request.query;
        const file = await transfer.exportFile(principalOf(request).user, format, language);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(file.body);
      },
    );
  };
}
