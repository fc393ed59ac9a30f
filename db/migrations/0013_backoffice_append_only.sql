-- Documents and their bytes are evidence: a new version is a new row, never an edit or a deletion.
CREATE TRIGGER documents_no_update_delete BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER document_chunks_no_update_delete BEFORE UPDATE OR DELETE ON document_chunks
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
