// How many snapshots a schedule keeps: the newest N and grandfather-father-son counts, told back
// in one sentence ("Keeps the newest 7 and one per day for 14 days").
import { NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import {
  FIELD_LABELS,
  GFS_FIELDS,
  describeRetention,
  normalizeRetention,
  type Retention,
} from '../lib/retention';

export function RetentionEditor({ value, onChange }: { value: Retention; onChange: (r: Retention) => void }) {
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
        {GFS_FIELDS.map((f) => (
          <NumberInput
            key={f}
            label={FIELD_LABELS[f]}
            min={0}
            max={10000}
            allowDecimal={false}
            allowNegative={false}
            value={value[f] ?? ''}
            onChange={(v) => {
              const next = { ...value };
              if (v === '' || v === null) delete next[f];
              else next[f] = Number(v);
              onChange(normalizeRetention(next));
            }}
          />
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed" data-testid="retention-description">
        {describeRetention(value)}
      </Text>
    </Stack>
  );
}
