/**
 * Node flags of the job worker. A capped heap makes V8 collect before it grows: the ingestion
 * keeps about 250 bytes per stored practice of the gestore (a million practices: ~250 MB) and
 * otherwise streams, so the worker stays near 500 MB of memory on the largest file
 * (docs/decisions/0010).
 */
export const WORKER_NODE_FLAGS = ["--max-old-space-size=384"];
