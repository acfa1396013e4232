import { createBrowserRouter } from 'react-router';
import { ConsoleLayout } from './layout/console-layout';
import { AccountGate, AccountHome, Home, NotFound, RouteError } from './pages/home';

/**
 * Whose resources a page shows is in its URL: `/a/<accountId>/…` for a personal account or a team,
 * `/o/<organizationId>/…` for an organization. Each page is its own chunk, loaded when first visited. The
 * gateway answers `index.html` for `/`, `/a/*`, `/o/*` and `/account*`: keep those roots in step with it.
 */
export const router = createBrowserRouter([
  {
    path: '/',
    Component: ConsoleLayout,
    ErrorBoundary: RouteError,
    children: [
      { index: true, Component: Home },
      {
        path: 'a/:accountId',
        Component: AccountGate,
        children: [
          { index: true, Component: AccountHome },
          { path: 'members', lazy: () => import('./pages/team/members-page') },
          { path: 'settings', lazy: () => import('./pages/team/settings-page') },
          { path: 'keys', lazy: () => import('./pages/keys/keys-page') },
          { path: 'secrets', lazy: () => import('./pages/secrets/secrets-page') },
          { path: 'usage', lazy: () => import('./pages/usage/usage-page') },
          { path: 'policies', lazy: () => import('./pages/policies/team-policies-page') },
        ],
      },
      {
        path: 'o/:orgId',
        children: [
          { index: true, Component: AccountHome },
          { path: 'teams', lazy: () => import('./pages/org/teams-page') },
          { path: 'members', lazy: () => import('./pages/org/members-page') },
          { path: 'keys', lazy: () => import('./pages/org/keys-page') },
          { path: 'usage', lazy: () => import('./pages/usage/org-usage-page') },
          { path: 'admins', lazy: () => import('./pages/org/admins-page') },
          { path: 'policies', lazy: () => import('./pages/policies/org-policies-page') },
          { path: 'domains', lazy: () => import('./pages/org/domains-page') },
          { path: 'sso', lazy: () => import('./pages/org/sso-page') },
        ],
      },
      { path: 'account', lazy: () => import('./pages/account/account-page') },
      { path: '*', Component: NotFound },
    ],
  },
]);
