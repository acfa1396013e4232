import { type CSSVariablesResolver, Modal, createTheme } from '@mantine/core';

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Mantine's default light shade (6) puts white text on a blue below WCAG AA's 4.5:1; shade 8 passes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
  components: {
    // Mantine's close button is an icon alone: give every dialog's a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** Dimmed text (descriptions, help under fields) is gray 6 by default, below AA on white: gray 7 passes. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
