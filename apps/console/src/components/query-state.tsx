import { Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

/**
 * Every list's three other states: loading, refused or failed, and empty. `children` renders the data once it
 * is there and not empty.
 */
export function QueryState<T>(props: {
  query: { data?: T; error: unknown; isPending: boolean };
  label: string;
  empty: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  const { data, error, isPending } = props.query;
  if (error) return <ErrorAlert error={error} />;
  if (isPending || data === undefined)
    return (
      <Center py="xl">
        <Loader aria-label={`Loading ${props.label}`} role="status" />
      </Center>
    );
  const isEmpty = props.isEmpty ?? ((value: T) => Array.isArray(value) && value.length === 0);
  if (isEmpty(data))
    return (
      <Text c="dimmed" py="lg" ta="center">
        {props.empty}
      </Text>
    );
  return <>{props.children(data)}</>;
}
