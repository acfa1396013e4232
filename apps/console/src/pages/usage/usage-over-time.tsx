import { Stack, Text, Title } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type Column, PaginatedTable } from '../../components/paginated-table';
import { count } from '../../format';

/** The requests of one series (a member, a key, a team) in one period, as the API reports them. */
export interface UsagePoint {
  /** The start of the UTC hour or day. */
  period: string;
  key: string;
  label: string;
  requests: number;
}

export interface UsageOverTimeProps {
  title: string;
  interval: 'hour' | 'day';
  /** The report's range: the chart shows every period of it, quiet ones too, so gaps read as gaps. */
  from: string;
  to: string;
  points: readonly UsagePoint[];
}

/** Beyond this many series the stacks are unreadable: the rest are summed as "Others". */
const TOP_SERIES = 6;
const OTHERS = 'Others';
const COLOURS = ['blue-6', 'teal-6', 'grape-6', 'orange-6', 'cyan-7', 'pink-6'].map(
  (colour) => `var(--mantine-color-${colour})`,
);
const OTHERS_COLOUR = 'var(--mantine-color-gray-5)';
const STEP = { hour: 3_600_000, day: 86_400_000 };

interface Series {
  /** `s0`, `s1`…: the chart's data keys, free of the characters recharts reads as paths. */
  dataKey: string;
  label: string;
  colour: string;
}

interface PeriodRow {
  period: string;
  label: string;
  total: number;
  /** Requests by series data key. */
  [dataKey: string]: string | number;
}

/**
 * Requests per hour or day as stacked bars, one colour per series (the busiest first, the rest as "Others"), with
 * the same numbers in a table of period × series for screen readers and for copying.
 */
export function UsageOverTime(props: UsageOverTimeProps) {
  const { series, seriesOf } = topSeries(props.points);
  const rows = periodRows(props, series, seriesOf);
  const busy = rows.filter((row) => row.total > 0);
  const columns: Column<PeriodRow>[] = [
    { header: props.interval === 'hour' ? 'Hour' : 'Day', cell: (row) => row.label },
    ...series.map((one) => ({
      header: one.label,
      cell: (row: PeriodRow) => count(Number(row[one.dataKey] ?? 0)),
    })),
    { header: 'Total', cell: (row) => count(row.total) },
  ];
  return (
    <Stack gap="sm" component="section" aria-label={props.title}>
      <Title order={2} size="h4">
        {props.title}
      </Title>
      {busy.length === 0 ? (
        <Text c="dimmed">No requests in this range.</Text>
      ) : (
        <>
          <div aria-hidden>
            <ResponsiveContainer width="100%" height={300}>
              <BarChart data={rows} accessibilityLayer={false} margin={{ right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={16} />
                <YAxis allowDecimals={false} width={48} />
                {/* Recharts writes the tooltip in the bar's colour, too light for text on white. */}
                <Tooltip
                  formatter={(value) => count(Number(value))}
                  itemStyle={{ color: 'var(--mantine-color-text)' }}
                />
                <Legend />
                {series.map((one) => (
                  <Bar
                    key={one.dataKey}
                    dataKey={one.dataKey}
                    name={one.label}
                    stackId="requests"
                    fill={one.colour}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <PaginatedTable caption={props.title} rows={busy} columns={columns} rowKey={(row) => row.period} />
        </>
      )}
    </Stack>
  );
}

/** The busiest series by their total, then "Others" for the rest if there are more. */
function topSeries(points: readonly UsagePoint[]) {
  const totals = new Map<string, { label: string; requests: number }>();
  for (const point of points) {
    const total = totals.get(point.key) ?? { label: point.label, requests: 0 };
    total.requests += point.requests;
    totals.set(point.key, total);
  }
  const ranked = [...totals].sort(([, a], [, b]) => b.requests - a.requests);
  const shown = ranked.slice(0, TOP_SERIES);
  const series: Series[] = shown.map(([, { label }], index) => ({
    dataKey: `s${index}`,
    label,
    colour: COLOURS[index],
  }));
  const seriesOf = new Map(shown.map(([key], index) => [key, series[index]]));
  if (shown.length < ranked.length) series.push({ dataKey: 'others', label: OTHERS, colour: OTHERS_COLOUR });
  return { series, seriesOf };
}

/** Every period of the range in order, with each series' requests in it. */
function periodRows(props: UsageOverTimeProps, series: Series[], seriesOf: Map<string, Series>): PeriodRow[] {
  const rows = new Map<number, PeriodRow>();
  const step = STEP[props.interval];
  const row = (time: number) => {
    let found = rows.get(time);
    if (!found) {
      found = { period: new Date(time).toISOString(), label: periodLabel(time, props.interval), total: 0 };
      for (const one of series) found[one.dataKey] = 0;
      rows.set(time, found);
    }
    return found;
  };
  const end = new Date(props.to).getTime();
  for (let time = Math.floor(new Date(props.from).getTime() / step) * step; time < end; time += step)
    row(time);
  for (const point of props.points) {
    const target = row(new Date(point.period).getTime());
    const dataKey = seriesOf.get(point.key)?.dataKey ?? 'others';
    target[dataKey] = Number(target[dataKey]) + point.requests;
    target.total += point.requests;
  }
  return [...rows].sort(([a], [b]) => a - b).map(([, value]) => value);
}

/** Days are UTC days (the API's), so they are named in UTC; hours are shown in the person's own time. */
function periodLabel(time: number, interval: 'hour' | 'day'): string {
  return interval === 'day'
    ? new Date(time).toLocaleDateString(undefined, { timeZone: 'UTC', month: 'short', day: 'numeric' })
    : new Date(time).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric' });
}
