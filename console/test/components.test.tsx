// The console's pieces with logic, rendered in a DOM: the size input (figure + binary unit to
// bytes), the cron editor (choices to cron and back, described in words), the retention editor,
// and the server-paged table (page turns, choice filters).
import { describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MantineProvider } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { SizeInput, sizeError } from '../src/components/SizeInput';
import { CronEditor } from '../src/components/CronEditor';
import { RetentionEditor } from '../src/components/RetentionEditor';
import { CancelJob } from '../src/components/JobProgress';
import { ServerTable, type ListQuery } from '../src/components/ServerTable';
import type { Job } from '../src/api/client';
import { bestUnit, formatBytes, parseSize, toBytes } from '../src/lib/sizes';
import { describeCron, fromCron, toCron, DEFAULT_CRON } from '../src/lib/cron';
import { describeRetention, maxKept, normalizeRetention, type Retention } from '../src/lib/retention';

const wrap = (ui: ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('sizes', () => {
  it('reads what people type as binary bytes', () => {
    expect(parseSize('512M')).toBe(512 * MiB);
    expect(parseSize('1.5 GiB')).toBe(1.5 * GiB);
    expect(parseSize('2T')).toBe(2 * 1024 ** 4);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('lots')).toBeNull();
    expect(toBytes(-1, 'GiB')).toBeNull();
  });
  it('shows sizes short and picks the unit for an editor', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1.5 * GiB)).toBe('1.5 GiB');
    expect(formatBytes(300 * MiB)).toBe('300 MiB');
    expect(bestUnit(1536 * MiB, true)).toEqual({ value: 1536, unit: 'MiB' });
    expect(bestUnit(2 * GiB, true)).toEqual({ value: 2, unit: 'GiB' });
  });
});

function SizeHarness({ start, min }: { start: number | null; min?: number }) {
  const [v, setV] = useState<number | null>(start);
  return (
    <>
      <SizeInput label="Size" value={v} onChange={setV} min={min} />
      <output data-testid="bytes">{String(v)}</output>
    </>
  );
}

describe('SizeInput', () => {
  it('starts in the largest whole unit and gives bytes as the figure changes', () => {
    wrap(<SizeHarness start={256 * MiB} />);
    const input = screen.getByLabelText('Size') as HTMLInputElement;
    expect(input.value).toBe('256');
    fireEvent.change(input, { target: { value: '1.5' } });
    expect(screen.getByTestId('bytes').textContent).toBe(String(1.5 * MiB));
  });
  it('says when the size is under the minimum', () => {
    expect(sizeError(64 * MiB, 128 * MiB)).toBe('At least 128 MiB');
    expect(sizeError(null)).toBe('Enter a size');
    expect(sizeError(GiB, MiB, 2 * GiB)).toBeNull();
    wrap(<SizeHarness start={64 * MiB} min={128 * MiB} />);
    const input = screen.getByLabelText('Size');
    fireEvent.blur(input);
    expect(screen.getByText('At least 128 MiB')).toBeTruthy();
  });
});

describe('cron', () => {
  it('turns choices into cron and reads cron back into choices', () => {
    expect(toCron({ ...DEFAULT_CRON, frequency: 'weekly', weekday: 0, hour: 3, minute: 15 })).toBe(
      '15 3 * * 0',
    );
    expect(fromCron('15 3 * * 0')).toMatchObject({ frequency: 'weekly', weekday: 0, hour: 3, minute: 15 });
    expect(fromCron('0 * * * *').frequency).toBe('hourly');
    expect(fromCron('30 1 10 * *')).toMatchObject({ frequency: 'monthly', day: 10 });
    expect(fromCron('*/5 * * * *').frequency).toBe('custom');
  });
  it('describes a schedule in words, and refuses what is not one', () => {
    expect(describeCron('0 2 * * *')).toEqual({ ok: true, text: expect.stringMatching(/02:00/) });
    expect(describeCron('0 2 * *').ok).toBe(false);
    expect(describeCron('99 2 * * *').ok).toBe(false);
  });
});

function CronHarness() {
  const [v, setV] = useState('0 2 * * *');
  return (
    <>
      <CronEditor value={v} onChange={setV} />
      <output data-testid="cron">{v}</output>
    </>
  );
}

describe('CronEditor', () => {
  it('edits the hour of a daily schedule and tells it in words', () => {
    wrap(<CronHarness />);
    expect(screen.getByTestId('cron-description').textContent).toMatch(/02:00/);
    fireEvent.change(screen.getByLabelText('Hour'), { target: { value: '5' } });
    expect(screen.getByTestId('cron').textContent).toBe('0 5 * * *');
    expect(screen.getByTestId('cron-description').textContent).toMatch(/05:00/);
  });
  it('takes a typed expression and flags a wrong one', () => {
    wrap(<CronHarness />);
    fireEvent.click(screen.getByText('Cron'));
    const input = screen.getByLabelText('Cron expression');
    fireEvent.change(input, { target: { value: '*/15 * * * *' } });
    expect(screen.getByTestId('cron').textContent).toBe('*/15 * * * *');
    expect(screen.getByTestId('cron-description').textContent).toMatch(/15 minutes/);
    fireEvent.change(input, { target: { value: 'every day' } });
    expect(screen.getByTestId('cron-description').textContent).toBe('Not a valid schedule');
  });
});

describe('retention', () => {
  it('keeps only set counts and tells the policy in one sentence', () => {
    expect(normalizeRetention({ keep_last: 3, daily: -1, weekly: 2.5 })).toEqual({ keep_last: 3 });
    expect(describeRetention({})).toMatch(/Keeps every snapshot/);
    expect(describeRetention({ keep_last: 7, daily: 14 })).toBe(
      'Keeps the newest 7 and one per day for 14 days; cloned or held snapshots are always kept.',
    );
    expect(maxKept({ keep_last: 7, daily: 14, weekly: 4 })).toBe(25);
    expect(maxKept({})).toBeNull();
  });
});

function RetentionHarness() {
  const [r, setR] = useState<Retention>({ keep_last: 7 });
  return (
    <>
      <RetentionEditor value={r} onChange={setR} />
      <output data-testid="retention">{JSON.stringify(r)}</output>
    </>
  );
}

describe('RetentionEditor', () => {
  it('adds a GFS count and clears one', () => {
    wrap(<RetentionHarness />);
    fireEvent.change(screen.getByLabelText('Weekly'), { target: { value: '8' } });
    expect(JSON.parse(screen.getByTestId('retention').textContent!)).toEqual({ keep_last: 7, weekly: 8 });
    expect(screen.getByTestId('retention-description').textContent).toMatch(/one per week for 8 weeks/);
    fireEvent.change(screen.getByLabelText('Newest snapshots'), { target: { value: '' } });
    expect(JSON.parse(screen.getByTestId('retention').textContent!)).toEqual({ weekly: 8 });
  });
});

describe('the cancel button of a job', () => {
  const job = (over: Partial<Job>): Job =>
    ({
      id: 'j1',
      kind: 'pool.create',
      title: 'create pool p',
      state: 'running',
      progress: 0.5,
      step_index: 0,
      step_count: 3,
      cancel_requested: false,
      cancellable: false,
      ...over,
    }) as Job;
  const withQuery = (ui: ReactNode) =>
    wrap(<QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>);
  it('is offered only where the API says a cancel would be accepted', () => {
    withQuery(<CancelJob job={job({ cancellable: false })} />);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    cleanup();
    withQuery(<CancelJob job={job({ cancellable: true })} />);
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });
});

describe('ServerTable', () => {
  type Row = { id: string; name: string };
  const rows = (offset: number) =>
    Array.from({ length: 50 }, (_, i) => ({ id: `r${offset + i}`, name: `row ${offset + i}` }));
  function table(calls: ListQuery[]) {
    return wrap(
      <QueryClientProvider client={new QueryClient()}>
        <ServerTable<Row>
          name="things"
          queryKey={['things']}
          defaultSort="name"
          choices={[{ field: 'severity', label: 'Severity', options: ['warning', 'critical'] }]}
          fetch={(q) => {
            calls.push(q);
            return Promise.resolve({
              data: { items: rows(q.offset), total: 120 },
              response: new Response(null, { status: 200 }),
            });
          }}
          columns={[{ key: 'name', label: 'Name', sortable: true, render: (r) => r.name }]}
        />
      </QueryClientProvider>,
    );
  }

  it('turns the page on the server and updates the same rows in place', async () => {
    const calls: ListQuery[] = [];
    table(calls);
    await waitFor(() => expect(screen.getByRole('cell', { name: 'row 0' })).toBeTruthy());
    expect(calls[0]).toMatchObject({ limit: 50, offset: 0, sort: 'name', filter: {} });
    const firstRow = screen.getByRole('cell', { name: 'row 0' }).closest('tr');
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(screen.getByRole('cell', { name: 'row 50' })).toBeTruthy());
    expect(calls.at(-1)).toMatchObject({ offset: 50 });
    expect(screen.getByRole('cell', { name: 'row 50' }).closest('tr')).toBe(firstRow);
  });

  it('sends a picked choice as an exact filter, from the first page', async () => {
    const calls: ListQuery[] = [];
    table(calls);
    await waitFor(() => expect(screen.getByRole('cell', { name: 'row 0' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(calls.at(-1)).toMatchObject({ offset: 50 }));
    fireEvent.click(screen.getByRole('textbox', { name: 'Severity' }));
    fireEvent.click(await screen.findByRole('option', { name: 'critical', hidden: true }));
    await waitFor(() => expect(calls.at(-1)).toMatchObject({ offset: 0, filter: { severity: 'critical' } }));
  });
});
