import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

/**
 * Asks before a destructive action. The refusal, if the API answers one, stays in the dialog next to the button
 * that caused it, so the person reads why nothing happened.
 */
export function ConfirmDialog(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending: boolean;
  error: unknown;
  /** Leave the confirm button disabled until the person has done what the dialog asks (e.g. typed a name). */
  ready?: boolean;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        {typeof props.children === 'string' ? <Text>{props.children}</Text> : props.children}
        <ErrorAlert error={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={props.onConfirm}
            loading={props.pending}
            disabled={props.ready === false}
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
