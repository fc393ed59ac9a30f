import { Link } from "@remix-run/react";
import { cellText, type DataTable } from "~/monitoring/tables";

/** A dashboard table: numbers right-aligned, each linked to the practices behind it when allowed. */
export function DataTableView({ table, exportQuery, exportPath = "/monitoraggio/esporta" }: { table: Omit<DataTable, "id"> & { id: string }; exportQuery: string; exportPath?: string }) {
  const q = exportQuery ? `&${exportQuery}` : "";
  return (
    <div className="table-responsive" data-testid={`table-${table.id}`}>
      <table className="table table-sm">
        <caption>{table.title}</caption>
        <thead>
          <tr>
            {table.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 ? (
            <tr>
              <td colSpan={table.head.length}>Nessun dato per i filtri scelti.</td>
            </tr>
          ) : null}
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((c, i) => {
                const text = cellText(c);
                const href = c === null ? null : table.links[r]?.[i];
                const numeric = c !== null && typeof c !== "string";
                const content = href ? <Link to={href}>{text}</Link> : c !== null && typeof c === "object" && "suppressed" in c ? <abbr title="Dato riservato: meno di 5 pratiche">{text}</abbr> : text;
                return i === 0 ? (
                  <th scope="row" key={i} className="fw-normal">
                    {content}
                  </th>
                ) : (
                  <td key={i} className={numeric ? "text-end text-nowrap" : undefined}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        Scarica la tabella: <a href={`${exportPath}?tabella=${table.id}&formato=csv${q}`} download aria-label={`Scarica «${table.title}» in CSV`}>
          CSV
        </a> ·{" "}
        <a href={`${exportPath}?tabella=${table.id}&formato=xlsx${q}`} download aria-label={`Scarica «${table.title}» in XLSX`}>
          XLSX
        </a>
      </p>
    </div>
  );
}
