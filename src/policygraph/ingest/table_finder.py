"""Where a document's tables are: each layout's reader tried at each line, the first that reads one wins.

A table comes as tab-separated rows (.docx and .html render so), as one cell per line (PDFs, pages
copied as text), or run together into one line by a scraper; all three give the one `Table` type. A
matrix (places as rows) is told by its rows, so it is tried before the readers that go by the header.
"""

from __future__ import annotations

from policygraph.ingest.lines import Line, is_toc_entry
from policygraph.ingest.matrix import matrix_of_cells, matrix_of_rows
from policygraph.ingest.run_tables import run_together_table
from policygraph.ingest.tables import Table, cell_table, is_header_cell, notes_after, tab_rows, title_before, tsv_table


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is not None:
            tables.append(table)
            i = table.last
        else:
            i += 1
    return tables


def _table_at(lines: list[Line], i: int) -> Table | None:
    line = lines[i]
    if line.is_tab_row and not is_toc_entry(line):
        rows, last = tab_rows(lines, i)
        title, notes = title_before(lines, i), notes_after(lines, last)
        table = matrix_of_rows(rows, i, last, title, notes) or tsv_table(rows, i, last, title, notes)
        if table is not None:
            return table
    if line.clean.startswith("序号") and not line.is_tab_row:
        table = run_together_table(lines, i)
        if table is not None:
            return table
    if not line.blank and (matrix := matrix_of_cells(lines, i)) is not None:
        return matrix
    if not line.blank and is_header_cell(line.clean):
        return cell_table(lines, i)
    return None
