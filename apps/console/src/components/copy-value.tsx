import { ActionIcon, CopyButton, TextInput, Tooltip } from '@mantine/core';

/** A value to copy elsewhere (a secret shown once, a DNS record, an SSO URL): read-only, with a copy button. */
export function CopyValue(props: { label: string; value: string; description?: string }) {
  return (
    <TextInput
      label={props.label}
      description={props.description}
      value={props.value}
      readOnly
      // Mantine sets an input's line height to its full height; a monospace underscore (as in `tsk_…` or
      // `_tessera-verification`) then falls below the clipped text box and the value reads wrong.
      styles={{ input: { fontFamily: 'ui-monospace, monospace', lineHeight: 'normal' } }}
      onFocus={(event) => event.currentTarget.select()}
      rightSectionWidth={72}
      rightSection={
        <CopyButton value={props.value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
              {/* One colour in both states: Mantine's light teal ("Copied") is below WCAG AA contrast. */}
              <ActionIcon variant="light" w={60} onClick={copy} aria-label={`Copy ${props.label}`}>
                {copied ? 'Copied' : 'Copy'}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}
