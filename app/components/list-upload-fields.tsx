/** A list sent as a CSV file or pasted (read by `uploadedOrPastedText`): the two fields of the form. */
export function ListUploadFields({ pasted, rows = 8 }: { pasted?: string; rows?: number }) {
  return (
    <>
      <div className="col-12">
        <label htmlFor="file" className="form-label">File CSV</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv" className="form-control" />
      </div>
      <div className="col-12">
        <label htmlFor="csv" className="form-label">Oppure incolla l'elenco</label>
        <textarea id="csv" name="csv" className="form-control font-monospace" rows={rows} defaultValue={pasted} />
      </div>
    </>
  );
}
