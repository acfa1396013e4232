import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { Link, Navigate, Outlet, isRouteErrorResponse, useParams, useRouteError } from 'react-router';
import { ErrorAlert } from '../components/error-alert';
import { useAccounts } from '../hooks/accounts';
import { homeOf } from '../layout/account-switcher';

/** `/`: the personal account's pages (every person has one, made at first sign-in). */
export function Home() {
  const accounts = useAccounts();
  if (accounts.error) return <ErrorAlert error={accounts.error} />;
  const personal = accounts.data?.find((account) => account.kind === 'personal') ?? accounts.data?.[0];
  if (!personal)
    return (
      <Center py="xl">
        <Loader aria-label="Loading your accounts" role="status" />
      </Center>
    );
  return <Navigate to={homeOf(personal)} replace />;
}

/** `/a/<id>` and `/o/<id>`: the account's first page, or a plain refusal when it is not one of theirs. */
export function AccountHome() {
  const { accountId, orgId } = useParams();
  const accounts = useAccounts();
  const account = accounts.data?.find((candidate) => candidate.id === (accountId ?? orgId));
  if (accounts.isPending) return <Loader aria-label="Loading" role="status" />;
  if (!account) return <NotFound />;
  return <Navigate to={homeOf(account)} replace />;
}

/**
 * `/a/<id>/…`: a personal account or a team must be one of the person's accounts before its pages ask the API
 * anything; anyone else (an outsider, a member just removed) gets "Not found" and nothing of the account.
 */
export function AccountGate() {
  const { accountId } = useParams();
  const accounts = useAccounts();
  if (accounts.error) return <ErrorAlert error={accounts.error} />;
  if (accounts.isPending)
    return (
      <Center py="xl">
        <Loader aria-label="Loading your accounts" role="status" />
      </Center>
    );
  const known = accounts.data.some((account) => account.id === accountId && account.kind !== 'organization');
  return known ? <Outlet /> : <NotFound />;
}

export function NotFound() {
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">
        Not found
      </Title>
      <Text>This page does not exist, or the account it belongs to is not one of yours.</Text>
      <Button component={Link} to="/">
        Go to your account
      </Button>
    </Stack>
  );
}

export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  return (
    <Alert color="red" role="alert" title="Something went wrong" m="md">
      {error instanceof Error ? error.message : 'The page could not be shown.'} Reload the page to try again.
    </Alert>
  );
}
