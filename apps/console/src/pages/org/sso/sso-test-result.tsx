import { Alert, List } from '@mantine/core';

/**
 * What a test sign-in showed. The API gives the console a test URL only, and the result is the page the IdP's
 * answer lands on, in the tab the test opened; so this says where to look. Once the API answers a test's result,
 * this is the one component that shows it in place (attributes received, teams the person would join).
 */
export function SsoTestResult() {
  return (
    <Alert color="blue" title="The result opens in the new tab">
      After signing in at the identity provider, the tab shows:
      <List size="sm" mt={4}>
        <List.Item>the NameID, e-mail, name and groups received, and every attribute;</List.Item>
        <List.Item>the teams the person would join, as team id and role.</List.Item>
      </List>
      Nobody is signed in or added to a team by a test. Test one person of each mapped group.
    </Alert>
  );
}
