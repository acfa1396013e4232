import { Checkbox, Group, NumberInput, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { ErrorAlert } from '../../components/error-alert';
import { type PolicySettings, type Setting, describeSetting, describeValue } from './policy-settings';

type Value = PolicySettings[Setting];

/** One policy setting as a field: `undefined` means "no rule", whatever the kind of input. */
export function PolicyField(props: {
  name: Setting;
  value: Value;
  onChange: (value: Value) => void;
  /** The organization's value, which this account inherits and may only tighten. */
  inherited?: { value: Value; from: string };
  /** The API's refusal of this setting, shown under it. */
  error?: unknown;
  disabled: boolean;
}) {
  // One group per setting, so its lock and its refusal are read with it.
  return (
    <Stack gap={6} role="group" aria-label={describeSetting(props.name).label}>
      <SettingInput {...props} />
      {props.inherited && props.inherited.value !== undefined && (
        <InheritedNote name={props.name} value={props.inherited.value} from={props.inherited.from} />
      )}
      <ErrorAlert error={props.error} />
    </Stack>
  );
}

function SettingInput(props: {
  name: Setting;
  value: Value;
  onChange: (value: Value) => void;
  disabled: boolean;
}) {
  const setting = describeSetting(props.name);
  const common = { label: setting.label, description: setting.help, disabled: props.disabled };
  switch (setting.kind) {
    case 'number':
      return (
        <NumberInput
          {...common}
          label={`${setting.label} (${setting.unit})`}
          min={1}
          max={setting.max}
          allowDecimal={false}
          allowNegative={false}
          // The API says what is out of range, at the field: the input does not silently change the value.
          clampBehavior="none"
          placeholder="No limit"
          value={(props.value as number | undefined) ?? ''}
          onChange={(value) => props.onChange(value === '' ? undefined : Number(value))}
          maw={420}
        />
      );
    case 'choices': {
      const all = setting.options.map((option) => option.value);
      return (
        <Checkbox.Group
          {...common}
          // All allowed and no rule are the same; none checked is sent as is, and the API says why it can't be.
          value={(props.value as string[] | undefined) ?? all}
          onChange={(value) => props.onChange((value.length === all.length ? undefined : value) as Value)}
        >
          <Group gap="lg" mt={6}>
            {setting.options.map((option) => (
              <Checkbox
                key={option.value}
                value={option.value}
                label={option.label}
                disabled={props.disabled}
              />
            ))}
          </Group>
        </Checkbox.Group>
      );
    }
    case 'domains':
      return (
        <TagsInput
          {...common}
          placeholder={props.disabled ? undefined : 'acme.com, press Enter'}
          splitChars={[',', ' ']}
          value={(props.value as string[] | undefined) ?? []}
          onChange={(value) => props.onChange(value.length ? value : undefined)}
          maw={560}
        />
      );
    case 'flag':
      return (
        <Switch
          {...common}
          checked={props.value === true}
          // Off and unset mean the same: off is stored as no rule.
          onChange={(event) => props.onChange(event.currentTarget.checked || undefined)}
        />
      );
  }
}

/** The organization's rule, locked for this account: a lock and who set it. */
function InheritedNote(props: { name: Setting; value: NonNullable<Value>; from: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <LockIcon />
      <Text size="sm">
        <strong>Set by {props.from}:</strong> {describeValue(props.name, props.value)}. This team may only
        tighten it.
      </Text>
    </Group>
  );
}

function LockIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      aria-hidden="true"
      style={{ flexShrink: 0, marginTop: 2 }}
    >
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        d="M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4"
      />
    </svg>
  );
}
