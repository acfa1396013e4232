import { type CSSVariablesResolver, createTheme } from '@mantine/core';

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Filled buttons carry white text: shade 6 is below 4.5:1 contrast for blue and red, shade 8 passes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
});

/**
 * Mantine's "dimmed" text (descriptions, table captions) is gray 6, which is below the 4.5:1 contrast text needs
 * on white; gray 7 passes.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
