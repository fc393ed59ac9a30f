/** The outcome of a form post: a success line, or the error with every row problem and warning listed. */
export type ActionOutcome =
  | { ok: true; message: string }
  | { ok: false; error: string; errors?: { row: number; message: string }[]; warnings?: { row: number; message: string }[] };

export function ActionResult({ result, rowLabel = "Riga" }: { result: ActionOutcome | undefined; rowLabel?: string }) {
  if (!result) return null;
  if (result.ok)
    return (
      <div className="alert alert-success" role="status">
        {result.message}
      </div>
    );
  const list = (items: { row: number; message: string }[] | undefined) =>
    items?.length ? (
      <ul className="mb-0">
        {items.map((p, i) => (
          <li key={i}>{p.row ? `${rowLabel} ${p.row}: ${p.message}` : p.message}</li>
        ))}
      </ul>
    ) : null;
  return (
    <div className={`alert ${result.errors?.length || !result.warnings?.length ? "alert-danger" : "alert-warning"}`} role="alert">
      <p className="mb-1">{result.error}</p>
      {list(result.errors)}
      {list(result.warnings)}
    </div>
  );
}
