-- The history of a practice is its evidence trail: corrections are new rows, never edits.
CREATE TRIGGER practice_history_no_update_delete BEFORE UPDATE OR DELETE ON practice_history
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
