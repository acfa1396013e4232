import { Button, Divider, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { refusalOf } from '../../api/errors';
import { ErrorAlert } from '../../components/error-alert';
import { PolicyField } from './policy-field';
import type { PolicySettings, Setting } from './policy-settings';

/**
 * The settings of one policy (an organization's or a team's), edited as a whole document: the API replaces the
 * policy on save, so what is left empty is removed. Give it `key={version}` so a saved or reloaded policy resets it.
 */
export function PolicyForm(props: {
  settings: readonly Setting[];
  /** The account's own settings, as read. */
  saved: PolicySettings;
  /** The organization's settings, which a team inherits and may only tighten. */
  inherited?: { settings: PolicySettings; from: string };
  readOnly: boolean;
  onSave: (settings: PolicySettings) => void;
  saving: boolean;
  error: unknown;
  savedVersion?: number;
}) {
  const [draft, setDraft] = useState<PolicySettings>(props.saved);
  const field = fieldOf(props.error, props.settings);

  return (
    <form
      aria-label="Policy settings"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(draft);
      }}
    >
      <Stack gap="lg">
        {props.settings.map((name) => (
          <PolicyField
            key={name}
            name={name}
            value={draft[name]}
            onChange={(value) => setDraft((current) => ({ ...current, [name]: value }))}
            inherited={
              props.inherited && { value: props.inherited.settings[name], from: props.inherited.from }
            }
            error={field === name ? props.error : undefined}
            disabled={props.readOnly}
          />
        ))}
        {!props.readOnly && (
          <>
            <Divider />
            {field === undefined && <ErrorAlert error={props.error} />}
            <Group>
              <Button type="submit" loading={props.saving}>
                Save policy
              </Button>
              {props.savedVersion !== undefined && (
                <Text size="sm" c="dimmed" role="status">
                  Saved as version {props.savedVersion}.
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
    </form>
  );
}

/**
 * Which setting a refusal is about, so it shows next to that field: `validation_failed` names it in its details'
 * path (`settings.<name>`), and `policy_violation`'s message starts with it.
 */
function fieldOf(error: unknown, shown: readonly Setting[]): Setting | undefined {
  const refusal = refusalOf(error);
  if (!refusal) return undefined;
  const path = refusal.details?.find((detail) => detail.path?.startsWith('settings.'))?.path;
  const named = path
    ? path.slice('settings.'.length)
    : refusal.code === 'policy_violation'
      ? refusal.message.split(' ')[0]
      : undefined;
  return shown.find((name) => name === named);
}
