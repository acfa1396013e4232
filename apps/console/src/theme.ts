import { type CSSVariablesResolver, Modal, createTheme } from '@mantine/core';

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Mantine's default shade (6) gives white button labels 3.5:1 against blue: WCAG AA needs 4.5:1.
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
  components: {
    // The close button is an icon: without a name, screen readers announce just "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** Dimmed text (descriptions, captions, empty lists) is gray 6 by default, under 4.5:1 on white: one shade darker. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
