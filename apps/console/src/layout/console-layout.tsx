import { AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Outlet, useLocation } from 'react-router';
import { AccountSwitcher } from './account-switcher';
import { Navigation } from './navigation';
import { UserMenu } from './user-menu';

/**
 * The console's frame: the account switcher top-left (as the product documents put it), the signed-in person
 * top-right, the current account's pages on the left (a drawer on narrow screens), and the page.
 */
export function ConsoleLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <AccountSwitcher />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text fw={700} visibleFrom="sm" aria-hidden>
              Tessera
            </Text>
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Account pages">
        <Navigation />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
