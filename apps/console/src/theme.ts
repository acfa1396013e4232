import {
  type CSSVariablesResolver,
  DEFAULT_THEME,
  type MantineColorsTuple,
  Modal,
  createTheme,
} from '@mantine/core';

const { red } = DEFAULT_THEME.colors;
/** White on Mantine's red 8 (#e03131) is 4.48:1, just under WCAG AA's 4.5:1: filled red buttons take red 9. */
const accessibleRed: MantineColorsTuple = [
  red[0],
  red[1],
  red[2],
  red[3],
  red[4],
  red[5],
  red[6],
  red[7],
  red[9],
  red[9],
];

/** The server-rendered pages (sign-in, device approval, invitations) use the same colours and radius. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Mantine's default light shade (6) puts white text on a blue below WCAG AA's 4.5:1; shade 8 passes.
  primaryShade: { light: 8, dark: 8 },
  colors: { red: accessibleRed },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  focusRing: 'auto',
  components: {
    // Mantine's close button is an icon alone: give every dialog's a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/**
 * Dimmed text (descriptions, help under fields) is gray 6 by default, below AA on white: gray 7 passes. A field's
 * error (its message, and the text in the field) is red 6, at 3.3:1: red 9 passes.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
