import { Avatar, Menu, UnstyledButton } from '@mantine/core';
import { useNavigate } from 'react-router';
import { signOut } from '../api/session';
import { useMe } from '../hooks/accounts';

/** The signed-in person: their account settings, and sign out. */
export function UserMenu() {
  const me = useMe().data;
  const navigate = useNavigate();
  const name = me?.name ?? me?.email ?? '';
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Your account${name ? `: ${name}` : ''}`}>
          {/* One colour for everyone: the per-name colours leave some initials under 4.5:1 contrast. */}
          <Avatar name={name} color="blue" radius="xl" size={34} />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {me && <Menu.Label>{me.email}</Menu.Label>}
        <Menu.Item onClick={() => navigate('/account')}>Your account</Menu.Item>
        <Menu.Item color="red" onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
