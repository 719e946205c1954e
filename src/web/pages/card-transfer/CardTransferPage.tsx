import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ExportFormat, ImportFormat, ImportResult } from '../../../shared/card-transfer.js';
import { TARGET_LANGUAGES, type TargetLanguage } from '../../../shared/languages.js';
import { ApiError, cardTransferApi } from '../../api/client.js';
import { ErrorAlert, StatusMessage } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { FormField } from '../../components/FormField.js';
import { Page } from '../../components/Page.js';
import { errorMessage } from '../../lib/form-errors.js';
import { formatCount, languageName, sentence } from '../../lib/format.js';
import { Options } from '../../components/options.js';

const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  csv: 'CSV (comma-separated)',
  tsv: 'TSV (tab-separated)',
  apkg: 'Anki deck (.apkg)',
};
const IMPORT_FORMAT_LIST = Object.keys(IMPORT_FORMAT_LABELS) as ImportFormat[];
const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV (comma-separated)',
  tsv: 'TSV (tab-separated)',
  apkg: 'Anki deck (.apkg)',
};
const EXPORT_FORMAT_LIST = Object.keys(EXPORT_FORMAT_LABELS) as ExportFormat[];
/** What the download link calls the file. */
const EXPORT_FILE_NAMES: Record<ExportFormat, string> = { csv: 'CSV', tsv: 'TSV', apkg: 'Anki deck' };
const ACCEPT: Record<ImportFormat, string> = {
  csv: '.csv,text/csv,text/plain',
  tsv: '.tsv,.tab,.txt,text/tab-separated-values,text/plain',
  apkg: '.apkg,.colpkg,application/octet-stream,application/zip',
};

/** The format a file's name suggests, if any. */
function formatOf(name: string): ImportFormat | undefined {
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'csv') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'apkg') return 'apkg';
  return undefined;
}

/** Refusals that are about the file (unreadable, too large, wrong type) show next to the file field. */
function isFileProblem(error: unknown): error is ApiError {
  return error instanceof ApiError && [400, 413, 415].includes(error.status);
}

function LanguageSelect({
  control,
  value,
  onChange,
}: {
  control: object;
  value: TargetLanguage;
  onChange: (value: TargetLanguage) => void;
}) {
  return (
    <select
      {...control}
      name="language"
      value={value}
      onChange={(e) => onChange(TARGET_LANGUAGES.find((l) => l === e.target.value) ?? value)}
    >
      <Options values={TARGET_LANGUAGES} label={(l) => languageName(l)} />
    </select>
  );
}

type Upload = { phase: 'idle' } | { phase: 'sending'; sent: number } | { phase: 'processing' };

function describeResult(result: ImportResult): string {
  const parts = [
    formatCount(result.created, 'card created', 'cards created'),
    `${formatCount(result.existing, 'term', 'terms')} already in your cards`,
  ];
  if (result.rejected.length > 0) parts.push(formatCount(result.rejected.length, 'row left out', 'rows left out'));
  return `Import finished: ${parts.join(', ')}.`;
}

function ImportSection({ initialLanguage }: { initialLanguage: TargetLanguage }) {
  const [language, setLanguage] = useState<TargetLanguage>(initialLanguage);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<{
    result: ImportResult;
    language: TargetLanguage;
    format: ImportFormat;
    name: string;
  } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = upload.phase !== 'idle';

  useEffect(() => () => abortRef.current?.abort(), []);

  const onFile = (picked: File | null) => {
    setFile(picked);
    setFileError(undefined);
    const guessed = picked ? formatOf(picked.name) : undefined;
    if (guessed) setFormat(guessed);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    if (!file) {
      setFileError('Choose a file to import.');
      fileRef.current?.focus();
      return;
    }
    setFileError(undefined);
    setResult(null);
    setUpload({ phase: 'sending', sent: 0 });
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const imported = await cardTransferApi.importFile(file, {
        format,
        language,
        signal: controller.signal,
        onProgress: (sent) => setUpload(sent >= 1 ? { phase: 'processing' } : { phase: 'sending', sent }),
      });
      setResult({ result: imported, language, format, name: file.name });
    } catch (err) {
      if (controller.signal.aborted) return;
      if (isFileProblem(err)) {
        setFileError(sentence(err.message));
        fileRef.current?.focus();
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
      if (!controller.signal.aborted) setUpload({ phase: 'idle' });
    }
  };

  const percent = upload.phase === 'sending' ? Math.round(upload.sent * 100) : 100;

  return (
    <section className="card card-form section" aria-labelledby="import-heading">
      <h2 id="import-heading">Import cards</h2>
      <p className="muted transfer-intro">
        A CSV or TSV file needs a header line naming the columns <code>term</code> and <code>translation</code>,
        optionally <code>context</code> and <code>tags</code>. From an Anki deck, each note’s first field becomes the
        term and the second the translation; a field named as an example sentence (and its translation) becomes the
        context; tags, suspension and review history are kept. Terms you already have are not duplicated.
      </p>
      <form noValidate onSubmit={(e) => void onSubmit(e)} aria-describedby="import-heading">
        <div className="transfer-grid">
          <FormField label="Language">
            {(control) => <LanguageSelect control={control} value={language} onChange={setLanguage} />}
          </FormField>
          <FormField label="Format">
            {(control) => (
              <select
                {...control}
                name="format"
                value={format}
                onChange={(e) => setFormat(IMPORT_FORMAT_LIST.find((f) => f === e.target.value) ?? 'csv')}
              >
                <Options values={IMPORT_FORMAT_LIST} label={(f) => IMPORT_FORMAT_LABELS[f]} />
              </select>
            )}
          </FormField>
        </div>
        <FormField label="File" error={fileError} hint="At most 20 MB.">
          {(control) => (
            <input
              {...control}
              ref={fileRef}
              name="file"
              type="file"
              className="file-input"
              accept={ACCEPT[format]}
              onChange={(e) => onFile(e.target.files?.[0] ?? null)}
            />
          )}
        </FormField>
        {formError && <ErrorAlert>{formError}</ErrorAlert>}
        {busy && (
          <div className="transfer-progress" data-testid="import-progress">
            <label htmlFor="import-progress-bar" className="transfer-progress-label">
              {upload.phase === 'sending' ? `Uploading… ${percent}%` : 'Importing your cards…'}
            </label>
            {upload.phase === 'sending' ? (
              <progress id="import-progress-bar" max={100} value={percent} />
            ) : (
              <progress id="import-progress-bar" />
            )}
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Importing…">
            Import file
          </Button>
        </div>
      </form>

      <div
        className={result ? 'transfer-result transfer-result-filled' : 'transfer-result'}
        data-testid="import-result"
      >
        <StatusMessage>{result ? describeResult(result.result) : ''}</StatusMessage>
        {result && (
          <>
            <dl className="transfer-counts">
              <div>
                <dt>Created</dt>
                <dd data-testid="import-created">{result.result.created}</dd>
              </div>
              <div>
                <dt>Already there</dt>
                <dd data-testid="import-existing">{result.result.existing}</dd>
              </div>
              <div>
                <dt>Left out</dt>
                <dd data-testid="import-rejected">{result.result.rejected.length}</dd>
              </div>
            </dl>
            {result.result.rejected.length > 0 && (
              <table className="data-table" aria-label={`Rows of ${result.name} left out`}>
                <thead>
                  <tr>
                    <th scope="col" className="num col-narrow">
                      {result.format === 'apkg' ? 'Note' : 'Line'}
                    </th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {result.result.rejected.map((row) => (
                    <tr key={`${row.line}:${row.reason}`}>
                      <td className="num">{row.line}</td>
                      <td>{sentence(row.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <Link to={`/cards?language=${result.language}`}>See your {languageName(result.language)} cards</Link>
            </p>
          </>
        )}
      </div>
    </section>
  );
}

function ExportSection({ initialLanguage }: { initialLanguage: TargetLanguage }) {
  const [language, setLanguage] = useState<TargetLanguage>(initialLanguage);
  const [format, setFormat] = useState<ExportFormat>('csv');
  return (
    <section className="card card-form section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export cards</h2>
      <p className="muted transfer-intro">
        Download one language’s cards (term, translation, context, tags) as a file this page can import again. An Anki
        deck also carries each card’s review history and memory state, for Anki or for importing here.
      </p>
      <div className="transfer-grid">
        <FormField label="Language">
          {(control) => <LanguageSelect control={control} value={language} onChange={setLanguage} />}
        </FormField>
        <FormField label="Format">
          {(control) => (
            <select
              {...control}
              name="exportFormat"
              value={format}
              onChange={(e) => setFormat(EXPORT_FORMAT_LIST.find((f) => f === e.target.value) ?? 'csv')}
            >
              <Options values={EXPORT_FORMAT_LIST} label={(f) => EXPORT_FORMAT_LABELS[f]} />
            </select>
          )}
        </FormField>
      </div>
      <div className="form-actions">
        <a className="btn btn-secondary" href={cardTransferApi.exportUrl(format, language)} download>
          Download {languageName(language)} {EXPORT_FILE_NAMES[format]}
        </a>
      </div>
    </section>
  );
}

export function CardTransferPage() {
  const [params] = useSearchParams();
  const language = TARGET_LANGUAGES.find((l) => l === params.get('language')) ?? 'es';
  return (
    <Page
      title="Import and export"
      description="Bring cards in from a spreadsheet or an Anki deck, or take them with you."
      actions={
        <Link to="/cards" className="btn btn-secondary btn-small">
          Back to cards
        </Link>
      }
    >
      <div className="transfer-column">
        <ImportSection initialLanguage={language} />
        <ExportSection initialLanguage={language} />
      </div>
    </Page>
  );
}
