// A size typed as a figure and a binary unit, given to the form as integer bytes (the API's unit).
import { Group, NumberInput, Select } from '@mantine/core';
import { useState } from 'react';
import { UNITS, bestUnit, formatBytes, toBytes, type Unit } from '../lib/sizes';

export interface SizeInputProps {
  label: string;
  value: number | null;
  onChange: (bytes: number | null) => void;
  min?: number;
  max?: number;
  description?: string;
  required?: boolean;
  units?: readonly Unit[];
}

export function sizeError(bytes: number | null, min?: number, max?: number): string | null {
  if (bytes === null) return 'Enter a size';
  if (min !== undefined && bytes < min) return `At least ${formatBytes(min)}`;
  if (max !== undefined && bytes > max) return `At most ${formatBytes(max)}`;
  return null;
}

export function SizeInput({
  label,
  value,
  onChange,
  min,
  max,
  description,
  required,
  units,
}: SizeInputProps) {
  const start =
    value === null ? { value: '' as number | string, unit: 'GiB' as Unit } : bestUnit(value, true);
  const [figure, setFigure] = useState<number | string>(start.value);
  const [unit, setUnit] = useState<Unit>(start.unit === 'B' && value === null ? 'GiB' : start.unit);
  const [touched, setTouched] = useState(false);
  const emit = (f: number | string, u: Unit) =>
    onChange(f === '' || f === null ? null : toBytes(Number(f), u));
  const error = touched ? sizeError(value, min, max) : null;
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap">
      <NumberInput
        label={label}
        description={description}
        required={required}
        value={figure}
        min={0}
        decimalScale={3}
        onChange={(f) => {
          setFigure(f);
          emit(f, unit);
        }}
        onBlur={() => setTouched(true)}
        error={error}
        style={{ flex: 1 }}
      />
      <Select
        label="Unit"
        aria-label={`${label} unit`}
        data={[...(units ?? UNITS.slice(1))]}
        value={unit}
        allowDeselect={false}
        onChange={(u) => {
          const next = (u ?? 'GiB') as Unit;
          setUnit(next);
          emit(figure, next);
        }}
        w={96}
        description={description ? ' ' : undefined}
      />
    </Group>
  );
}
