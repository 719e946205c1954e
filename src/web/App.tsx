import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from './auth/AuthProvider.js';
import { RequireUser, RequireVisitor } from './auth/guards.js';
import { Layout, PublicLayout } from './components/Layout.js';
import { RouteFocus } from './components/RouteFocus.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { CardTransferPage } from './pages/card-transfer/CardTransferPage.js';
import { CardsPage } from './pages/cards/CardsPage.js';
import { DashboardPage } from './pages/dashboard/DashboardPage.js';
import { HistoryPage } from './pages/history/HistoryPage.js';
import { LoginPage } from './pages/login/LoginPage.js';
import { NotFoundPage } from './pages/not-found/NotFoundPage.js';
import { RegisterPage } from './pages/register/RegisterPage.js';
import { ReviewPage } from './pages/review/ReviewPage.js';
import { ReviewStatsPage } from './pages/review-stats/ReviewStatsPage.js';
import { ReviewSettingsPage } from './pages/review-settings/ReviewSettingsPage.js';

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
              { path: '/review', element: <ReviewPage /> },
              { path: '/review/settings', element: <ReviewSettingsPage /> },
              { path: '/review/stats', element: <ReviewStatsPage /> },
              { path: '/cards', element: <CardsPage /> },
              { path: '/cards/transfer', element: <CardTransferPage /> },
              { path: '/history', element: <HistoryPage /> },
              { path: '/account', element: <AccountPage /> },
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
