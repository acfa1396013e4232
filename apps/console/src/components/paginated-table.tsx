import { Group, Pagination, ScrollArea, Table, Text, TextInput } from '@mantine/core';
import { type ReactNode, useMemo, useState } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

const PAGE_SIZE = 50;

/**
 * A table that shows one page of its rows at a time, so a list of thousands renders as fast as a list of fifty.
 * With `searchText`, a search box filters rows by that text (case-insensitive).
 */
export function PaginatedTable<T>(props: {
  caption: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  searchText?: (row: T) => string;
  /** The search box's label, when lower-casing the caption would spoil a name ("Search API keys"). */
  searchLabel?: string;
}) {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const { searchText, rows } = props;
  const matching = useMemo(() => {
    const needle = search.trim().toLowerCase();
    if (!needle || !searchText) return rows;
    return rows.filter((row) => searchText(row).toLowerCase().includes(needle));
  }, [rows, search, searchText]);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const shown = matching.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);

  return (
    <>
      {searchText && (
        <TextInput
          label={props.searchLabel ?? `Search ${props.caption.toLowerCase()}`}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          maw={360}
        />
      )}
      {/* Focusable, so a keyboard can scroll a table wider than the screen even when it has no controls. */}
      <ScrollArea type="auto" viewportProps={{ tabIndex: 0 }}>
        <Table striped highlightOnHover verticalSpacing="sm" miw={560}>
          <Table.Caption>
            {props.caption}: {matching.length}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((column) => (
                <Table.Th key={column.header} scope="col">
                  {column.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {props.columns.map((column) => (
                  <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {matching.length === 0 && (
        <Text c="dimmed" ta="center">
          Nothing matches “{search}”.
        </Text>
      )}
      {pages > 1 && (
        <Group justify="center">
          <Pagination
            total={pages}
            value={current}
            onChange={setPage}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
          />
        </Group>
      )}
    </>
  );
}
