import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';
import { secretNameProblem } from './secret-name';

/** The API's largest value: 64 KiB of UTF-8, counted in bytes. */
const MAX_VALUE_BYTES = 64 * 1024;
const utf8 = new TextEncoder();
const MONOSPACE = 'ui-monospace, monospace';
/** Names and values are taken exactly as typed: no spelling fixes, and no browser remembering them for later. */
const TYPED_AS_IS = { required: true, autoComplete: 'off', spellCheck: false } as const;

/**
 * "Add secret" (a name and a value) and "Replace value" (the value of `replacing`). The value lives only in this
 * form's state until it is sent: the mutation is not kept (`gcTime: 0`, reset on close), nothing is put in a
 * query's cache or the URL, and the field is emptied once saved or cancelled.
 */
export function SecretValueDialog(props: {
  accountId: string;
  opened: boolean;
  onClose: () => void;
  /** The secret whose value is replaced; without it the dialog adds a new one. */
  replacing?: string;
  /** Names already taken: setting one of them from "Add secret" would silently replace its value. */
  existingNames: readonly string[];
}) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [problems, setProblems] = useState<{ name?: string; value?: string }>({});
  const invalidate = useInvalidate();
  const save = $api.useMutation('put', '/v1/accounts/{accountId}/secrets/{name}', {
    gcTime: 0,
    onSuccess: () => {
      close();
      return invalidate('/v1/accounts/{accountId}/secrets');
    },
  });

  const close = () => {
    save.reset();
    setName('');
    setValue('');
    setProblems({});
    props.onClose();
  };
  // Dismissing while the value is on its way would drop the answer, and with it a refusal the person must see.
  const dismiss = () => {
    if (!save.isPending) close();
  };

  const target = props.replacing ?? name;
  const check = () => ({
    name: props.replacing
      ? undefined
      : (secretNameProblem(name) ??
        (props.existingNames.includes(name)
          ? `${name} exists already: use Replace value in its row to change it.`
          : undefined)),
    value:
      value === ''
        ? 'Enter the value.'
        : utf8.encode(value).length > MAX_VALUE_BYTES
          ? 'A value is at most 64 KiB.'
          : undefined,
  });

  return (
    <Modal
      opened={props.opened}
      onClose={dismiss}
      title={props.replacing ? `Replace the value of ${props.replacing}` : 'Add secret'}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = check();
          setProblems(found);
          if (found.name || found.value) return;
          save.mutate({ params: { path: { accountId: props.accountId, name: target } }, body: { value } });
        }}
      >
        <Stack>
          {props.replacing ? (
            <Text size="sm">
              Apps get the new value from their next read. The current value is replaced for good.
            </Text>
          ) : (
            <TextInput
              label="Name"
              description="As your apps name it in their environment, e.g. DATABASE_URL."
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={problems.name}
              data-autofocus
              {...TYPED_AS_IS}
              styles={{ input: { fontFamily: MONOSPACE } }}
            />
          )}
          <Textarea
            label="Value"
            description="Stored encrypted. It is never shown again: only your apps read it."
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            error={problems.value}
            data-autofocus={props.replacing ? true : undefined}
            autosize
            minRows={3}
            maxRows={8}
            {...TYPED_AS_IS}
            // Masked like a password field, which can't hold the line breaks of a certificate or a key file.
            styles={{ input: { WebkitTextSecurity: 'disc', fontFamily: MONOSPACE } }}
          />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={dismiss} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {props.replacing ? 'Replace value' : 'Add secret'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
