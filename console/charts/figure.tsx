/**
 * What every chart shares: a figure whose caption is the chart's title and its summary in one
 * sentence, the picture (hidden from assistive tech: the sentence and the table say the same), and
 * the data as a table under a disclosure, each row headed by its first cell.
 */
import type { ComponentChildren } from 'preact'
import { tch } from './messages'

export interface Column {
  label: string
  /** A number: right-aligned, in tabular figures. */
  num?: boolean
}

export interface Row {
  key: string
  /** The first cell is the row's header. */
  cells: readonly ComponentChildren[]
}

export function ChartFigure({
  title,
  summary,
  columns,
  rows,
  children,
}: {
  title: string
  summary: string
  columns: readonly Column[]
  rows: readonly Row[]
  /** The picture: an `<svg aria-hidden="true">`. */
  children: ComponentChildren
}) {
  const cls = (c: Column | undefined) => (c?.num ? 'num' : undefined)
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span>{summary}</span>
      </figcaption>
      {children}
      <details>
        <summary>{tch('table', { title })}</summary>
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label} scope="col" class={cls(c)}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                {r.cells.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i} class={cls(columns[i])}>
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
