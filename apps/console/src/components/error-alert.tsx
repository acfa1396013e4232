import { Alert } from '@mantine/core';
import { describeError } from '../api/errors';

/** A refusal or failure in plain words, announced to screen readers. */
export function ErrorAlert(props: { error: unknown; title?: string }) {
  if (!props.error) return null;
  return (
    <Alert color="red" role="alert" title={props.title}>
      {describeError(props.error)}
    </Alert>
  );
}
