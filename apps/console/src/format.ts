/**
 * Dates and numbers in the reader's locale. `Date#toLocaleString` and its kin build a new formatter on every call,
 * which a table of fifty rows pays for fifty times; these are built once and give the same text.
 */
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const DATE = new Intl.DateTimeFormat();
const NUMBER = new Intl.NumberFormat();

/** A moment from the API (ISO 8601), as `toLocaleString()` would show it. */
export function dateTime(iso: string): string {
  return DATE_TIME.format(new Date(iso));
}

/** The day of a moment from the API, as `toLocaleDateString()` would show it. */
export function date(iso: string): string {
  return DATE.format(new Date(iso));
}

/** A number with the locale's digit grouping, as `toLocaleString()` would show it. */
export function count(value: number): string {
  return NUMBER.format(value);
}
