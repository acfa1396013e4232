import { Alert, Button, FileInput, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { $api, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useInvalidate } from '../../hooks/invalidate';
import { BulkResultsTable, sendsLink } from './bulk-results-table';

type BulkReply = Schemas['BulkInviteReply'];

/** The API's own limit, said before the person picks a file. */
const MAX_ROWS = 50;

/**
 * "Bulk": a CSV file of `email,role` rows is checked first (a dry run: nothing is sent), every row shown with what
 * would happen to it; only then does "Send N invitations" invite the rows that passed, and the results replace
 * the preview.
 */
export function BulkInviteDialog(props: { teamId: string; opened: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string>();
  const [readError, setReadError] = useState<unknown>();
  const invalidate = useInvalidate();
  const preview = $api.useMutation('post', '/v1/teams/{id}/invitations/bulk');
  const send = $api.useMutation('post', '/v1/teams/{id}/invitations/bulk', {
    onSuccess: () => invalidate('/v1/teams/{id}/invitations'),
  });

  // The file goes as `text/csv`: the same text is checked, then sent, so what was previewed is what is sent.
  const submit = (text: string, dryRun: boolean) =>
    (dryRun ? preview : send).mutate({
      params: { path: { id: props.teamId }, query: { dryRun: dryRun ? 'true' : 'false' } },
      body: text,
      bodySerializer: (body) => body as string,
      headers: { 'Content-Type': 'text/csv' },
    });

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setCsv(undefined);
    setReadError(undefined);
    preview.reset();
    send.reset();
    if (!chosen) return;
    chosen.text().then(
      (text) => {
        setCsv(text);
        submit(text, true);
      },
      () => setReadError(new Error('The file could not be read. Choose it again.')),
    );
  };

  const close = () => {
    choose(null);
    props.onClose();
  };

  const sent = send.data;
  const checked = preview.data;
  return (
    <Modal opened={props.opened} onClose={close} title="Bulk" size="xl">
      <Stack>
        <FileInput
          label="CSV file"
          description={`One row per person: email,role (Admin, Developer or Billing), at most ${MAX_ROWS} rows, with the header line email,role.`}
          accept=".csv,text/csv"
          value={file}
          onChange={choose}
          clearable
          clearButtonProps={{ 'aria-label': 'Remove the file' }}
          disabled={send.isPending || sent !== undefined}
          data-autofocus
        />
        <ErrorAlert error={readError ?? preview.error} />
        {preview.isPending && <Text role="status">Checking every row…</Text>}
        {sent ? (
          <SentResults reply={sent} />
        ) : (
          checked && (
            <>
              <Summary reply={checked} />
              <BulkResultsTable reply={checked} />
              <ErrorAlert error={send.error} />
            </>
          )
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {sent ? 'Done' : 'Cancel'}
          </Button>
          {!sent && checked && csv !== undefined && (
            <Button
              onClick={() => submit(csv, false)}
              loading={send.isPending}
              disabled={linkCount(checked) === 0}
            >
              Send {invitations(linkCount(checked))}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function invitations(count: number): string {
  return `${count} invitation${count === 1 ? '' : 's'}`;
}

function refusedCount(reply: BulkReply): number {
  return reply.results.filter((row) => !sendsLink(row.result)).length;
}

/** How many e-mails the rows send: first invitations and fresh links with a new role. */
function linkCount(reply: BulkReply): number {
  return reply.summary.invited + reply.summary.role_updated;
}

/** The dry run's verdict: how many would be sent and how many rows are refused (nothing is sent yet). */
function Summary(props: { reply: BulkReply }) {
  const refused = refusedCount(props.reply);
  return (
    <Alert color="blue" title="Preview: nothing is sent yet">
      {linkCount(props.reply)} of {props.reply.results.length} rows can be invited.
      {refused > 0 &&
        ` ${refused} ${refused === 1 ? 'row is' : 'rows are'} refused, with the reason on the row.`}
    </Alert>
  );
}

function SentResults(props: { reply: BulkReply }) {
  const refused = refusedCount(props.reply);
  return (
    <>
      <Alert color="blue" title={`${invitations(linkCount(props.reply))} sent`}>
        {refused > 0
          ? `${refused} ${refused === 1 ? 'row was' : 'rows were'} refused, as below.`
          : 'Every row was invited.'}
      </Alert>
      <BulkResultsTable reply={props.reply} />
    </>
  );
}
