import type { TransactionSql } from "postgres";
import { PRACTICE_MACHINE_VERSION } from "~workflows/practice.machine";
import { practiceSnapshotSql } from "~workflows/practice-snapshot";
import { copyIn, CopyWriter } from "./copy-stream.server";

const SEGMENT_ROWS = 100_000;

const changed = (field: string) => `h.changes ? '${field}'`;
const newValue = (field: string) => `h.changes -> '${field}' ->> 1`;
const field = (column: string, name: string, type: string) =>
  `${column} = case when ${changed(name)} then (${newValue(name)})::${type} else p.${column} end`;
const FIELDS = [
  field("beneficiary_name", "denominazione", "text"),
  field("comune_code", "comune_istat", "text"),
  field("submitted_on", "data_presentazione", "date"),
  field("amount_requested", "importo_richiesto", "numeric"),
  field("amount_approved", "importo_deliberato", "numeric"),
  field("amount_disbursed", "importo_erogato", "numeric"),
  field("notes", "note", "text"),
].join(", ");
const SNAPSHOT = practiceSnapshotSql("h.to_state", { stateDate: "h.state_date::text" });

/**
 * The history rows of an upload go to PostgreSQL a segment at a time, each followed by the update
 * of the practices it moves or changes, while the file reader prepares the next segment: the
 * database works while the file is read. At most two segments are held in memory.
 */
export class HistorySegments {
  private batches: string[] = [];
  private batch = "";
  private rows = 0;
  private running: Promise<void> = Promise.resolve();
  /** Milliseconds spent per step, for INGEST_TIMINGS. */
  readonly spent = { copy: 0, summary: 0, update: 0 };

  private constructor(
    private readonly sp: TransactionSql,
    private readonly uploadId: string,
    private lastId: string,
  ) {}

  static async start(sp: TransactionSql, uploadId: string) {
    const [{ last }] = await sp<{ last: string }[]>`select coalesce(max(id), 0)::text as last from practice_history`;
    return new HistorySegments(sp, uploadId, last);
  }

  /** Adds one COPY row; the promise, when there is one, says when to go on reading. */
  write(row: string): Promise<void> | undefined {
    this.batch += row;
    this.rows += 1;
    if (this.batch.length >= 256 * 1024) {
      this.batches.push(this.batch);
      this.batch = "";
    }
    if (this.rows >= SEGMENT_ROWS) return this.send();
  }

  /** Sends what is left and waits until every segment is in and applied. */
  async end() {
    if (this.rows > 0) void this.send();
    await this.running;
  }

  /** Sends nothing more (the file is rejected) and waits for the segment under way. */
  async abandon() {
    await this.running.catch(() => {});
  }

  private send() {
    const batches = [...this.batches, this.batch];
    this.batches = [];
    this.batch = "";
    this.rows = 0;
    const previous = this.running;
    const next = previous.then(() => this.apply(batches));
    next.catch(() => {}); // awaited by the next write or by end(); never left unhandled
    this.running = next;
    return previous;
  }

  private async apply(batches: string[]) {
    let t = performance.now();
    const lap = (step: keyof HistorySegments["spent"]) => {
      const now = performance.now();
      this.spent[step] += now - t;
      t = now;
    };
    const copy = new CopyWriter(
      await copyIn(this.sp, "copy practice_history (practice_id, kind, from_state, to_state, state_date, upload_id, changes) from stdin"),
    );
    for (const b of batches) await copy.write(b);
    await copy.end();
    lap("copy");
    // The monitoring summary (docs/decisions/0034): what the segment's moves change, read from the
    // staged rows and the practices as they still are.
    await this.sp`select monitoring_apply_moves(${this.uploadId}, ${this.lastId}, 'before')`;
    lap("summary");
    // A field's new value is the second item of its change; the rest comes with the move.
    const [{ last }] = await this.sp<{ last: string | null }[]>`
      with moved as (
        update practices p set state = h.to_state, state_date = h.state_date, ${this.sp.unsafe(FIELDS)},
          snapshot = ${this.sp.unsafe(SNAPSHOT)},
          machine_version = ${PRACTICE_MACHINE_VERSION}, last_upload_id = ${this.uploadId}, updated_at = now()
        from practice_history h
        where h.id > ${this.lastId} and h.upload_id = ${this.uploadId} and p.id = h.practice_id
        returning h.id
      )
      select max(id)::text as last from moved`;
    lap("update");
    await this.sp`select monitoring_apply_moves(${this.uploadId}, ${this.lastId}, 'after')`;
    lap("summary");
    if (last) this.lastId = last;
  }
}
