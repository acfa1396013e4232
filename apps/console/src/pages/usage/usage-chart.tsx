import { Stack, Text, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { count } from '../../format';

/** One bar: a member, a key, an action or a team, with its requests over the whole range. */
export interface UsageBar {
  key: string;
  label: string;
  detail?: string;
  requests: number;
}

const BAR_HEIGHT = 36;
/** A chart of a thousand members says nothing: it shows the first bars (the API lists most requests first). */
const CHART_BARS = 15;

/**
 * Requests per category as a bar chart, with the same numbers in a table (the table is what screen readers and
 * people copying numbers use). Only the usage pages import this file, so recharts stays in their chunk.
 */
export function UsageChart(props: { title: string; category: string; bars: readonly UsageBar[] }) {
  const total = props.bars.reduce((sum, bar) => sum + bar.requests, 0);
  const charted = props.bars.slice(0, CHART_BARS);
  const columns: Column<UsageBar>[] = [
    {
      header: props.category,
      cell: (bar) => (
        <Stack gap={0}>
          <Text size="sm">{bar.label}</Text>
          {bar.detail && (
            <Text size="xs" c="dimmed">
              {bar.detail}
            </Text>
          )}
        </Stack>
      ),
    },
    { header: 'Requests', cell: (bar) => count(bar.requests) },
  ];
  return (
    <Stack gap="sm" component="section" aria-label={props.title}>
      <Title order={2} size="h4">
        {props.title}
      </Title>
      {props.bars.length === 0 ? (
        <Text c="dimmed">No requests in this range.</Text>
      ) : (
        <>
          <div aria-hidden>
            <ResponsiveContainer width="100%" height={charted.length * BAR_HEIGHT + 40}>
              <BarChart data={charted} layout="vertical" accessibilityLayer={false} margin={{ right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} />
                {/* Recharts writes the tooltip in the bar's colour, too light for text on white. */}
                <Tooltip
                  formatter={(value) => [count(Number(value)), 'Requests']}
                  itemStyle={{ color: 'var(--mantine-color-text)' }}
                />
                <Bar
                  dataKey="requests"
                  fill="var(--mantine-color-blue-6)"
                  maxBarSize={24}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <PaginatedTable
            caption={props.title}
            rows={props.bars}
            columns={columns}
            rowKey={(bar) => bar.key}
          />
          <Text size="sm" c="dimmed">
            {count(total)} {total === 1 ? 'request' : 'requests'} in all
            {props.bars.length > CHART_BARS && `; the chart shows the first ${CHART_BARS}`}
          </Text>
        </>
      )}
    </Stack>
  );
}
