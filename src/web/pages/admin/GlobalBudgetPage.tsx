import { useState } from 'react';
import { adminApi, budgetApi } from '../../api/client.js';
import { useUser } from '../../auth/AuthProvider.js';
import { ErrorAlert, RetryAlert } from '../../components/Alert.js';
import { BudgetAlertList } from '../../components/BudgetAlertList.js';
import { BudgetGauge } from '../../components/BudgetGauge.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { PageLoading } from '../../components/PageLoading.js';
import { errorMessage } from '../../lib/form-errors.js';
import { useQuery } from '../../lib/use-query.js';
import { BudgetForm } from './BudgetForm.js';

/** The one budget shared by everyone: its status this period, its settings, and its alerts. */
export function GlobalBudgetPage() {
  const user = useUser();
  const global = useQuery('admin-global-budget', () => adminApi.globalBudget());
  const alerts = useQuery('admin-global-alerts', () => budgetApi.alerts(20));
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const remove = async () => {
    setRemoving(true);
    setRemoveError(null);
    try {
      await adminApi.deleteGlobalBudget();
      setConfirming(false);
      global.reload();
    } catch (err) {
      setRemoveError(errorMessage(err));
    } finally {
      setRemoving(false);
    }
  };

  const data = global.data;
  const globalAlerts = alerts.data?.filter((a) => a.scope === 'global') ?? [];

  return (
    <Page
      title="Global budget"
      description="A limit on the AI spend of everyone together. Each user may also have a budget of their own."
    >
      {global.status === 'error' && <RetryAlert error={global.error} onRetry={global.reload} />}
      {global.status === 'loading' && !data && <PageLoading label="Loading the global budget…" />}
      {data && (
        <div className="admin-grid">
          <div>
            <section className="card section" aria-labelledby="global-status-heading">
              <div className="section-header">
                <h2 id="global-status-heading">This period</h2>
              </div>
              {data.status ? (
                <BudgetGauge
                  status={data.status}
                  labelledBy="global-status-heading"
                  viewerZone={user.timezone}
                  customDays={data.budget?.customDays ?? null}
                />
              ) : (
                <EmptyState title="No global budget" icon="chart">
                  <p>AI calls are limited only by the budgets of individual users, if they have one.</p>
                </EmptyState>
              )}
            </section>
            {(data.budget || globalAlerts.length > 0) && (
              <section className="card section" aria-labelledby="global-alerts-heading">
                <h2 id="global-alerts-heading">Alerts</h2>
                {alerts.status === 'error' && <ErrorAlert>{errorMessage(alerts.error)}</ErrorAlert>}
                {alerts.data && (
                  <BudgetAlertList
                    alerts={globalAlerts}
                    viewer="admin"
                    timeZone={user.timezone}
                    emptyText="Alerts of the global budget are listed here as its spend passes its thresholds."
                  />
                )}
              </section>
            )}
          </div>
          <section className="card section" aria-labelledby="global-form-heading">
            <h2 id="global-form-heading">{data.budget ? 'Settings' : 'Set a global budget'}</h2>
            <BudgetForm
              budget={data.budget}
              scope="global"
              submitLabel={data.budget ? 'Save changes' : 'Create global budget'}
              onSave={async (body) => {
                await adminApi.saveGlobalBudget(body);
                global.reload();
                return 'Global budget saved.';
              }}
              actions={
                data.budget && (
                  <Button variant="secondary" className="btn-danger-outline" onClick={() => setConfirming(true)}>
                    Remove
                  </Button>
                )
              }
            />
          </section>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Remove the global budget?"
        confirmLabel="Remove budget"
        busyLabel="Removing…"
        busy={removing}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => {
          setConfirming(false);
          setRemoveError(null);
        }}
      >
        <p>AI calls will no longer be limited as a whole. The budgets of individual users stay as they are.</p>
      </ConfirmDialog>
    </Page>
  );
}
