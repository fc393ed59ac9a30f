-- The story of enablement requests and accesses is evidence: corrections are new rows, never edits.
CREATE TRIGGER machine_history_no_update_delete BEFORE UPDATE OR DELETE ON machine_history
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
