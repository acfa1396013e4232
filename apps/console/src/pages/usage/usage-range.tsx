import { Group, TextInput } from '@mantine/core';
import { useState } from 'react';

/** A day as the date input writes it (`YYYY-MM-DD`), in the person's own time zone. */
function dayOf(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** The start of a `YYYY-MM-DD` day (plus `days`) in the person's time zone, as the API's ISO 8601 instant. */
function startOf(day: string, days = 0): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date + days).toISOString();
}

export interface UsageRange {
  /**
   * Query parameters for the usage routes: `to` is exclusive, so the last chosen day counts whole. Requests are
   * counted per day, or per hour when the range is two days or less (a day or two of daily bars says nothing).
   */
  query: { from: string; to: string; interval: 'hour' | 'day' };
  inputs: React.ReactNode;
}

/** The report's range: two date inputs, the last 30 days until changed. */
export function useUsageRange(): UsageRange {
  const [to, setTo] = useState(() => dayOf(new Date()));
  const [from, setFrom] = useState(() => dayOf(new Date(Date.now() - 30 * 86_400_000)));
  const inputs = (
    <Group align="flex-end" wrap="wrap">
      <TextInput
        type="date"
        label="From"
        value={from}
        max={to}
        onChange={(event) => event.currentTarget.value && setFrom(event.currentTarget.value)}
      />
      <TextInput
        type="date"
        label="To"
        value={to}
        min={from}
        onChange={(event) => event.currentTarget.value && setTo(event.currentTarget.value)}
      />
    </Group>
  );
  const query = { from: startOf(from), to: startOf(to, 1) };
  const hourly = new Date(query.to).getTime() - new Date(query.from).getTime() <= 2 * 86_400_000;
  return { query: { ...query, interval: hourly ? 'hour' : 'day' }, inputs };
}
