// A list paged, sorted and filtered by the server (limit/offset, sort=, field__contains=, field=): the
// browser only ever holds one page, so it stays fast at 100,000 rows.
import { Scroll } from './common';
import { Group, Pagination, Select, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { must } from '../api/client';
import { ApiErrorAlert } from './ApiErrorAlert';

export interface Column<T> {
  key: string;
  label: string;
  sortable?: boolean;
  render: (row: T) => ReactNode;
}

export interface PageAnswer<T> {
  items: T[];
  total: number;
}

export interface ListQuery {
  limit: number;
  offset: number;
  sort: string;
  filter: Record<string, string>;
}

export interface Choice {
  field: string;
  label: string;
  options: string[];
}

export function ServerTable<T extends { id: string }>(props: {
  name: string;
  queryKey: unknown[];
  columns: Column<T>[];
  fetch: (q: ListQuery) => Promise<{ data?: PageAnswer<T>; error?: unknown; response: Response }>;
  filterField?: string;
  filterLabel?: string;
  defaultSort: string;
  pageSize?: number;
  extraFilter?: Record<string, string>;
  /** Exact-match filters picked from a list (severity, state…), beside the text filter. */
  choices?: Choice[];
}) {
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState(props.defaultSort);
  const [text, setText] = useState('');
  const [filterText] = useDebouncedValue(text, 300);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const limit = props.pageSize ?? 50;
  const filter: Record<string, string> = { ...(props.extraFilter ?? {}), ...picked };
  if (filterText && props.filterField) filter[`${props.filterField}__contains`] = filterText;
  const q = useQuery({
    queryKey: [...props.queryKey, page, sort, filter],
    queryFn: () => must(props.fetch({ limit, offset: (page - 1) * limit, sort, filter })),
    placeholderData: keepPreviousData,
  });
  const total = q.data?.total ?? 0;
  const toggle = (key: string) => setSort(sort === key ? `-${key}` : key);
  return (
    <>
      <Group justify="space-between" mb="xs" wrap="wrap">
        {props.filterField && (
          <TextInput
            label={props.filterLabel ?? 'Filter'}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setPage(1);
            }}
            w={260}
          />
        )}
        {(props.choices ?? []).map((c) => (
          <Select
            key={c.field}
            label={c.label}
            data={c.options}
            value={picked[c.field] ?? null}
            clearable
            placeholder="any"
            onChange={(v) => {
              const next = { ...picked };
              if (v) next[c.field] = v;
              else delete next[c.field];
              setPicked(next);
              setPage(1);
            }}
            w={160}
          />
        ))}
        <Select
          label="Sort by"
          data={props.columns
            .filter((c) => c.sortable)
            .flatMap((c) => [
              { value: c.key, label: `${c.label} ↑` },
              { value: `-${c.key}`, label: `${c.label} ↓` },
            ])}
          value={sort}
          allowDeselect={false}
          onChange={(s) => setSort(s ?? props.defaultSort)}
          w={200}
        />
      </Group>
      <ApiErrorAlert error={q.error} />
      <Scroll minWidth={700}>
        <Table striped aria-label={props.name} data-testid={`table-${props.name}`}>
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((c) => (
                <Table.Th
                  key={c.key}
                  aria-sort={sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : undefined}
                >
                  {c.sortable ? (
                    <UnstyledButton onClick={() => toggle(c.key)} fw={600} fz="sm">
                      {c.label}
                      {sort === c.key ? ' ↑' : sort === `-${c.key}` ? ' ↓' : ''}
                    </UnstyledButton>
                  ) : (
                    c.label || <span className="sr-only">Actions</span>
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {/* Rows keyed by their place on the page, not by id: turning the page then updates the
                same 50 rows in place instead of unmounting and mounting some 600 components and
                their DOM (rows hold no state of their own, so nothing is carried across). */}
            {(q.data?.items ?? []).map((row, i) => (
              <Table.Tr key={i}>
                {props.columns.map((c) => (
                  <Table.Td key={c.key}>{c.render(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Scroll>
      <Group justify="space-between" mt="xs">
        <Text size="sm" c="dimmed" data-testid={`total-${props.name}`}>
          {total} in all
        </Text>
        {total > limit && (
          <Pagination
            total={Math.ceil(total / limit)}
            value={page}
            onChange={setPage}
            size="sm"
            getControlProps={(c) => ({ 'aria-label': `page ${c}` })}
          />
        )}
      </Group>
    </>
  );
}
