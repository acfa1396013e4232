import { Badge, Button, Menu, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useNavigate, useParams } from 'react-router';
import { type Account, useAccount, useAccounts } from '../hooks/accounts';
import { CreateOrganizationDialog } from './create-organization-dialog';
import { CreateTeamDialog } from './create-team-dialog';

const KIND_LABELS: Record<Account['kind'], string> = {
  personal: 'Personal',
  team: 'Team',
  organization: 'Organization',
};

/** Where an account's pages start. */
export function homeOf(account: Account): string {
  switch (account.kind) {
    case 'personal':
      return `/a/${account.id}/keys`;
    case 'team':
      return `/a/${account.id}/members`;
    case 'organization':
      return `/o/${account.id}/teams`;
  }
}

/**
 * The account switcher: the personal account, then each organization with its teams, then teams outside any
 * organization. What is selected decides whose resources every page shows; it lives in the URL.
 */
export function AccountSwitcher() {
  const accounts = useAccounts().data ?? [];
  const { accountId, orgId } = useParams();
  const current = useAccount(accountId ?? orgId);
  const navigate = useNavigate();
  const [creating, { open, close }] = useDisclosure();
  const [organizing, organization] = useDisclosure();

  const personal = accounts.filter((account) => account.kind === 'personal');
  const organizations = accounts.filter((account) => account.kind === 'organization');
  const teams = accounts.filter((account) => account.kind === 'team');
  const inOrganization = (organization: Account) =>
    teams.filter((team) => team.organizationId === organization.id);
  const independent = teams.filter(
    (team) => !organizations.some((organization) => organization.id === team.organizationId),
  );
  const item = (account: Account, indent = false) => (
    <Menu.Item
      key={account.id}
      pl={indent ? 'xl' : undefined}
      onClick={() => navigate(homeOf(account))}
      aria-current={account.id === current?.id ? 'true' : undefined}
      rightSection={account.id === current?.id ? <Text size="xs">✓</Text> : undefined}
    >
      {account.name}
    </Menu.Item>
  );

  return (
    <>
      <Menu position="bottom-start" width={280} withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            aria-label={`Switch account. Current: ${current ? `${current.name}, ${KIND_LABELS[current.kind]}` : 'none'}`}
            rightSection={<span aria-hidden>▾</span>}
            maw={{ base: 190, sm: 320 }}
          >
            <Text truncate size="sm" fw={600}>
              {current?.name ?? 'Choose an account'}
            </Text>
            {current && (
              <Badge ml={8} size="xs" variant="light" visibleFrom="sm">
                {KIND_LABELS[current.kind]}
              </Badge>
            )}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Personal account</Menu.Label>
          {personal.map((account) => item(account))}
          {organizations.map((organization) => [
            <Menu.Divider key={`${organization.id}-divider`} />,
            <Menu.Label key={`${organization.id}-label`}>Organization</Menu.Label>,
            item(organization),
            ...inOrganization(organization).map((team) => item(team, true)),
          ])}
          {independent.length > 0 && (
            <>
              <Menu.Divider />
              <Menu.Label>Teams</Menu.Label>
              {independent.map((team) => item(team))}
            </>
          )}
          <Menu.Divider />
          <Menu.Item onClick={open} fw={600}>
            Create Team
          </Menu.Item>
          <Menu.Item onClick={organization.open}>Create organization</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <CreateTeamDialog opened={creating} onClose={close} />
      <CreateOrganizationDialog opened={organizing} onClose={organization.close} />
    </>
  );
}
