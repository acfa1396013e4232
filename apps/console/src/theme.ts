import { type CSSVariablesResolver, createTheme } from '@mantine/core';

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Mantine's default shade (6) puts white text on a blue of 3.5:1; shade 8 meets WCAG AA's 4.5:1.
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
});

/** Mantine's "dimmed" grey (gray-6) is 3.3:1 on white; gray-7 keeps secondary text readable (AA). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
