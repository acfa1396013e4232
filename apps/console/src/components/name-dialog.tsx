import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from './error-alert';

/**
 * A dialog that asks for one name and submits it: creating an organization, or a team inside one. The caller
 * owns the mutation, so its refusal shows here, next to the field.
 */
export function NameDialog(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  label: string;
  description: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const close = () => {
    setName('');
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={props.title}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit(name.trim());
        }}
      >
        <Stack>
          <TextInput
            label={props.label}
            description={props.description}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            required
            data-autofocus
            maxLength={100}
          />
          <ErrorAlert error={props.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={props.pending}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
