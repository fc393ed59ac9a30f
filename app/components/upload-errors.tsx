/** An upload's errors in line order: the outcome page, the dry run and the in-browser check show the same table. */
export function UploadErrorsTable({ errors, caption, testId }: { errors: { line: number; field: string | null; code: string; message: string }[]; caption: string; testId?: string }) {
  return (
    <div className="table-responsive mb-3">
      <table className="table table-sm" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Riga</th>
            <th scope="col">Campo</th>
            <th scope="col">Codice</th>
            <th scope="col">Descrizione</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>{e.line}</td>
              <td>{e.field ?? "—"}</td>
              <td>
                <code>{e.code}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
