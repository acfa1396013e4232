import { List, Text } from '@mantine/core';
import { $api } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { ALL_SETTINGS, describeSetting, describeValue, type PolicySettings } from './policy-settings';
import { dateTime } from '../../format';

/** Every version of the organization's policy, newest first: who set what, when. */
export function PolicyVersions(props: { orgId: string }) {
  const path = { params: { path: { orgId: props.orgId } } };
  const versions = $api.useQuery('get', '/v1/orgs/{orgId}/policies/versions', path);
  // Versions name who set them by id; the Org Admins list gives the names of those still here.
  const admins = $api.useQuery('get', '/v1/orgs/{orgId}/admins', path);
  const nameOf = (userId: string | null) => {
    if (userId === null) return 'Tessera';
    const admin = admins.data?.find((person) => person.userId === userId);
    return admin ? admin.name || admin.email : 'a former Org Admin';
  };

  return (
    <QueryState query={versions} label="policy history" empty="No policy was set yet.">
      {(list) => (
        <List spacing="xs" listStyleType="none" aria-label="Policy versions">
          {list.map((version) => (
            <List.Item key={version.version}>
              <Text size="sm" fw={600}>
                Version {version.version}
                {version.updatedAt && ` · ${dateTime(version.updatedAt)}`} · by{' '}
                {nameOf(version.updatedByUserId)}
              </Text>
              <Text size="sm" c="dimmed">
                {summary(version.settings)}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </QueryState>
  );
}

function summary(settings: PolicySettings): string {
  const set = ALL_SETTINGS.filter((name) => settings[name] !== undefined);
  if (set.length === 0) return 'No rules.';
  return set
    .map((name) => `${describeSetting(name).label}: ${describeValue(name, settings[name])}`)
    .join('; ');
}
