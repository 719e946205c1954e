import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/AuthProvider.js';
import { RequireAdmin, RequireUser, RequireVisitor } from './auth/guards.js';
import { Layout, PublicLayout } from './components/Layout.js';
import { RouteFocus } from './components/RouteFocus.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { AdminLayout } from './pages/admin/AdminLayout.js';
import { AdminUsagePage } from './pages/admin/AdminUsagePage.js';
import { GlobalBudgetPage } from './pages/admin/GlobalBudgetPage.js';
import { ProvidersPage } from './pages/admin/ProvidersPage.js';
import { UserBudgetsPage } from './pages/admin/UserBudgetsPage.js';
import { CardTransferPage } from './pages/card-transfer/CardTransferPage.js';
import { ChatPage } from './pages/chat/ChatPage.js';
import { ConversationsPage } from './pages/conversations/ConversationsPage.js';
import { CardsPage } from './pages/cards/CardsPage.js';
import { DashboardPage } from './pages/dashboard/DashboardPage.js';
import { HistoryPage } from './pages/history/HistoryPage.js';
import { LoginPage } from './pages/login/LoginPage.js';
import { NotFoundPage } from './pages/not-found/NotFoundPage.js';
import { RegisterPage } from './pages/register/RegisterPage.js';
import { ReviewPage } from './pages/review/ReviewPage.js';
import { ReviewStatsPage } from './pages/review-stats/ReviewStatsPage.js';
import { ReviewSettingsPage } from './pages/review-settings/ReviewSettingsPage.js';
import { ScenarioPage } from './pages/scenario/ScenarioPage.js';
import { ScenariosPage } from './pages/scenarios/ScenariosPage.js';
import { UsagePage } from './pages/usage/UsagePage.js';

const customScenarios = () =>
  import('./pages/custom-scenario/CustomScenariosPage.js').then((m) => ({ Component: m.CustomScenariosPage }));
const scenarioEditor = () =>
  import('./pages/custom-scenario/CustomScenarioEditorPage.js').then((m) => ({
    Component: m.CustomScenarioEditorPage,
  }));

const router = createBrowserRouter([
  {
    element: <RouteFocus />,
    children: [
      {
        element: <RequireVisitor />,
        children: [
          {
            element: <PublicLayout />,
            children: [
              { path: '/login', element: <LoginPage /> },
              { path: '/register', element: <RegisterPage /> },
            ],
          },
        ],
      },
      {
        element: <RequireUser />,
        children: [
          {
            element: <Layout />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: '/scenarios', element: <ScenariosPage /> },
              // The scenario editor is large and seldom used: it loads on first visit.
              { path: '/scenarios/custom', lazy: customScenarios },
              { path: '/scenarios/custom/new', lazy: scenarioEditor },
              { path: '/scenarios/custom/:id/edit', lazy: scenarioEditor },
              { path: '/scenarios/:id', element: <ScenarioPage /> },
              { path: '/conversations', element: <ConversationsPage /> },
              { path: '/conversations/:id', element: <ChatPage /> },
              { path: '/review', element: <ReviewPage /> },
              { path: '/review/settings', element: <ReviewSettingsPage /> },
              { path: '/review/stats', element: <ReviewStatsPage /> },
              { path: '/cards', element: <CardsPage /> },
              { path: '/cards/transfer', element: <CardTransferPage /> },
              { path: '/history', element: <HistoryPage /> },
              { path: '/usage', element: <UsagePage /> },
              { path: '/account', element: <AccountPage /> },
              {
                path: '/admin',
                element: <RequireAdmin />,
                children: [
                  {
                    element: <AdminLayout />,
                    children: [
                      { index: true, element: <Navigate to="/admin/budget" replace /> },
                      { path: 'budget', element: <GlobalBudgetPage /> },
                      { path: 'users', element: <UserBudgetsPage /> },
                      { path: 'providers', element: <ProvidersPage /> },
                      { path: 'usage', element: <AdminUsagePage /> },
                    ],
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  );
}
