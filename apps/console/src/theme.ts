import { type CSSVariablesResolver, createTheme } from '@mantine/core';

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Mantine's default shade 6 gives white-on-blue buttons and blue links under 4.5:1; shade 8 meets WCAG AA.
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
});

/** Mantine's dimmed grey (gray 6) is under 4.5:1 on white: descriptions and table captions use gray 7. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
