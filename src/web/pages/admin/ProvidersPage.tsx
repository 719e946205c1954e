import { useState } from 'react';
import type { AdminProvider, ProviderHealthView } from '../../../shared/ai-providers.js';
import { adminApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { RetryAlert } from '../../components/Alert.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { formatInstant, formatPercent, formatUsd } from '../../lib/budget-format.js';
import { formatCount } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';

type HealthState = { label: string; tone: 'ok' | 'warning' | 'danger'; detail: string | null };

function healthState(health: ProviderHealthView, timeZone: string): HealthState {
  if (health.circuit === 'open') {
    return {
      label: 'Paused',
      tone: 'danger',
      detail: health.circuitRetryAt
        ? `Too many failures in a row; tried again from ${formatInstant(health.circuitRetryAt, timeZone)}.`
        : 'Too many failures in a row.',
    };
  }
  if (health.circuit === 'half_open') {
    return { label: 'Being retried', tone: 'warning', detail: 'A trial call decides whether it is used again.' };
  }
  if (!health.healthy) return { label: 'Failing', tone: 'danger', detail: 'Many recent calls failed.' };
  return { label: 'Healthy', tone: 'ok', detail: null };
}

function ms(value: number): string {
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(value)} ms`;
}

function price(usdPerMTok: number): string {
  return usdPerMTok === 0 ? 'free' : formatUsd(usdPerMTok);
}

function ProviderCard({ provider, timeZone }: { provider: AdminProvider; timeZone: string }) {
  const { health, probe } = provider;
  const state = healthState(health, timeZone);
  const headingId = `provider-${provider.id}`;
  return (
    <article className="card provider" aria-labelledby={headingId} data-testid={`provider-${provider.id}`}>
      <header className="provider-head">
        <div>
          <h2 id={headingId}>{provider.id}</h2>
          <p className="muted provider-kind">
            {provider.kind} · {provider.baseUrlHost}
          </p>
        </div>
        <span className={`badge badge-health badge-health-${state.tone}`}>{state.label}</span>
      </header>
      {state.detail && <p className="provider-detail">{state.detail}</p>}
      {probe && (
        <p className={`provider-probe ${probe.reachable ? 'provider-probe-ok' : 'provider-probe-failed'}`}>
          {probe.reachable
            ? `Reachable now (answered in ${ms(probe.latencyMs)}).`
            : `Not reachable now: ${probe.message ?? probe.failure ?? 'no answer'}.`}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>Error rate (5 min)</dt>
          <dd>
            {health.errorRate === null ? 'no calls' : formatPercent(health.errorRate * 100)}
            <span className="usage-sub">
              {formatCount(health.failures, 'failure', 'failures')} in {formatCount(health.attempts, 'call', 'calls')}
            </span>
          </dd>
        </div>
        <div>
          <dt>Latency p50 / p95</dt>
          <dd>
            {health.latencyMs ? `${ms(health.latencyMs.p50)} / ${ms(health.latencyMs.p95)}` : '—'}
            {health.ttftMs && (
              <span className="usage-sub">
                first token {ms(health.ttftMs.p50)} / {ms(health.ttftMs.p95)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd>
            {health.lastError ? (
              <>
                {health.lastError.failure.replaceAll('_', ' ')}
                <span className="usage-sub">{formatInstant(health.lastError.at, timeZone)}</span>
              </>
            ) : (
              'none'
            )}
          </dd>
        </div>
        <div>
          <dt>Price per M tokens</dt>
          <dd>
            {provider.inputPricePerMTokUsd === 0 && provider.outputPricePerMTokUsd === 0
              ? 'Free'
              : `${price(provider.inputPricePerMTokUsd)} in / ${price(provider.outputPricePerMTokUsd)} out`}
          </dd>
        </div>
        <div>
          <dt>Models</dt>
          <dd className="provider-models">{provider.models.join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>Priority · languages</dt>
          <dd>
            {provider.priority} · {provider.languages.length > 0 ? provider.languages.join(', ') : 'all'}
          </dd>
        </div>
        <div>
          <dt>API key</dt>
          <dd>{provider.hasKey ? 'configured' : 'none'}</dd>
        </div>
      </dl>
    </article>
  );
}

/** The configured language-model providers with their live health; "Check now" also probes each one. */
export function ProvidersPage() {
  const user = useUser();
  const [probe, setProbe] = useState(0);
  const providers = useQuery(`admin-providers:${probe}`, () => adminApi.providers(probe > 0));
  const checking = providers.status === 'loading' && probe > 0;

  return (
    <Page
      title="AI providers"
      description="The language models the app can use, and how they have answered in the last five minutes."
      actions={
        <Button
          variant="secondary"
          size="small"
          busy={checking}
          busyLabel="Checking…"
          onClick={() => setProbe((n) => n + 1)}
        >
          Check now
        </Button>
      }
    >
      {providers.status === 'error' && <RetryAlert error={providers.error} onRetry={providers.reload} />}
      {providers.status === 'loading' && !providers.data && <PageLoading label="Loading providers…" />}
      {providers.data &&
        (providers.data.length === 0 ? (
          <section className="card section">
            <EmptyState title="No language model is configured" icon="search">
              <p>
                The app runs without one: AI calls answer “no model available” and learners use the offline tutor.
                Configure providers with <code>AI_PROVIDERS_FILE</code> or <code>OPENAI_API_KEY</code>,{' '}
                <code>ANTHROPIC_API_KEY</code>, <code>OLLAMA_BASE_URL</code>.
              </p>
            </EmptyState>
          </section>
        ) : (
          <div
            className={providers.status === 'loading' ? 'provider-list results-stale' : 'provider-list'}
            aria-busy={providers.status === 'loading'}
          >
            {providers.data.map((p) => (
              <ProviderCard key={p.id} provider={p} timeZone={user.timezone} />
            ))}
          </div>
        ))}
    </Page>
  );
}
