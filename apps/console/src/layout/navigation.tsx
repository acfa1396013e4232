import { NavLink, Stack } from '@mantine/core';
import { NavLink as RouterLink, useLocation, useParams } from 'react-router';
import { type Account, useAccount } from '../hooks/accounts';

interface Link {
  to: string;
  label: string;
}

/** The pages of each kind of account, with the product's names for them. */
function linksOf(account: Account): Link[] {
  const base = account.kind === 'organization' ? `/o/${account.id}` : `/a/${account.id}`;
  const at = (path: string, label: string) => ({ to: `${base}/${path}`, label });
  switch (account.kind) {
    case 'personal':
      return [at('keys', 'API Keys'), at('secrets', 'Secrets'), at('usage', 'Usage')];
    case 'team':
      return [
        at('members', 'Members'),
        at('keys', 'API Keys'),
        at('secrets', 'Secrets'),
        at('usage', 'Usage'),
        at('policies', 'Policies'),
        at('settings', 'Settings'),
      ];
    case 'organization':
      return [
        at('teams', 'Teams'),
        at('members', 'Members'),
        at('keys', 'API Keys'),
        at('usage', 'Usage'),
        at('admins', 'Org Admins'),
        at('policies', 'Policies'),
        at('domains', 'Verified domains'),
        at('sso', 'Single sign-on'),
      ];
  }
}

export function Navigation() {
  const { accountId, orgId } = useParams();
  const account = useAccount(accountId ?? orgId);
  const { pathname } = useLocation();
  const isCurrent = (to: string) => pathname === to || pathname.startsWith(`${to}/`);
  return (
    <Stack gap={2} component="nav" aria-label="Pages">
      {account &&
        linksOf(account).map((link) => (
          <NavLink
            key={link.to}
            component={RouterLink}
            to={link.to}
            label={link.label}
            active={isCurrent(link.to)}
          />
        ))}
      <NavLink
        component={RouterLink}
        to="/account"
        label="Your account"
        active={isCurrent('/account')}
        mt="md"
      />
    </Stack>
  );
}
