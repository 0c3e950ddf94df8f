// A schedule picked from plain choices (hourly, daily, weekly, monthly) or typed as cron, always
// shown back in words, so that "0 2 * * 0" is read as "At 02:00, only on Sunday".
import { Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { describeCron, fromCron, toCron, type CronParts, type Frequency } from '../lib/cron';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function CronEditor({ value, onChange }: { value: string; onChange: (cron: string) => void }) {
  const [parts, setParts] = useState<CronParts>(() => fromCron(value));
  const update = (p: Partial<CronParts>) => {
    const next = { ...parts, ...p };
    if (p.frequency === 'custom') next.custom = toCron(parts);
    setParts(next);
    onChange(toCron(next));
  };
  const described = describeCron(toCron(parts));
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label="How often"
        value={parts.frequency}
        onChange={(f) => update({ frequency: f as Frequency })}
        data={[
          { value: 'hourly', label: 'Hourly' },
          { value: 'daily', label: 'Daily' },
          { value: 'weekly', label: 'Weekly' },
          { value: 'monthly', label: 'Monthly' },
          { value: 'custom', label: 'Cron' },
        ]}
      />
      {parts.frequency === 'custom' ? (
        <TextInput
          label="Cron expression"
          description="minute hour day-of-month month day-of-week"
          value={parts.custom}
          onChange={(e) => update({ custom: e.currentTarget.value })}
          error={described.ok ? null : described.text}
        />
      ) : (
        <Group gap="xs" wrap="wrap">
          {parts.frequency === 'weekly' && (
            <Select
              label="Day"
              data={DAYS.map((d, i) => ({ value: String(i), label: d }))}
              value={String(parts.weekday)}
              allowDeselect={false}
              onChange={(d) => update({ weekday: Number(d ?? 0) })}
              w={140}
            />
          )}
          {parts.frequency === 'monthly' && (
            <NumberInput
              label="Day of month"
              min={1}
              max={28}
              value={parts.day}
              onChange={(d) => update({ day: Math.min(28, Math.max(1, Number(d) || 1)) })}
              w={120}
            />
          )}
          {parts.frequency !== 'hourly' && (
            <NumberInput
              label="Hour"
              min={0}
              max={23}
              value={parts.hour}
              onChange={(h) => update({ hour: Math.min(23, Math.max(0, Number(h) || 0)) })}
              w={90}
            />
          )}
          <NumberInput
            label="Minute"
            min={0}
            max={59}
            value={parts.minute}
            onChange={(m) => update({ minute: Math.min(59, Math.max(0, Number(m) || 0)) })}
            w={90}
          />
        </Group>
      )}
      <Text size="sm" c={described.ok ? 'dimmed' : 'red'} data-testid="cron-description">
        {described.ok ? described.text : 'Not a valid schedule'}
      </Text>
    </Stack>
  );
}
