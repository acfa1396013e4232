import { Alert, Center, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Page } from '../../components/page';
import { QueryState } from '../../components/query-state';
import { type UsageBar, UsageChart } from './usage-chart';
import { UsageOverTime, type UsageOverTimeProps } from './usage-over-time';
import { type UsageRange, useUsageRange } from './usage-range';

export interface UsageBreakdown {
  title: string;
  category: string;
  bars: UsageBar[];
}

/**
 * The Usage page of a team, a personal account or an organization: the range, then the report for it. Who may see
 * it is decided by the caller (`allowed`: `undefined` while that is still loading).
 */
export function UsageView(props: {
  description: string;
  allowed: boolean | undefined;
  refusal: ReactNode;
  children: (range: UsageRange['query']) => ReactNode;
}) {
  return (
    <Page title="Usage" description={props.description}>
      {props.allowed === undefined ? (
        <Center py="xl">
          <Loader aria-label="Loading usage" role="status" />
        </Center>
      ) : props.allowed ? (
        <UsageRangeView>{props.children}</UsageRangeView>
      ) : (
        <Alert color="gray" title="Usage is for Admins and Billing">
          {props.refusal}
        </Alert>
      )}
    </Page>
  );
}

function UsageRangeView(props: { children: (range: UsageRange['query']) => ReactNode }) {
  const range = useUsageRange();
  return (
    <>
      {range.inputs}
      {props.children(range.query)}
    </>
  );
}

export interface UsageReportView {
  overTime: UsageOverTimeProps;
  breakdowns: UsageBreakdown[];
}

/**
 * A report once it is loaded: requests over time, then its totals (by member, by action, by team…), each a chart
 * with its table.
 */
export function UsageBreakdowns(props: {
  query: { data?: UsageReportView; error: unknown; isPending: boolean };
}) {
  return (
    <QueryState query={props.query} label="usage" empty="No requests in this range.">
      {({ overTime, breakdowns }) => (
        <Stack gap="xl">
          <UsageOverTime {...overTime} />
          {breakdowns.map((breakdown) => (
            <UsageChart key={breakdown.title} {...breakdown} />
          ))}
        </Stack>
      )}
    </QueryState>
  );
}
