/**
 * Node flags of the job worker. A capped heap makes V8 collect before it grows: the ingestion's
 * index of the gestore's stored practices lives outside the heap (about 110 bytes a practice in
 * typed arrays, docs/decisions/0128) and the rest streams, so 192 MB of old space and 8 MB
 * semi-spaces (young generation) are plenty, and the worker stays under 384 MB of memory on a
 * million-record file.
 */
export const WORKER_NODE_FLAGS = ["--max-old-space-size=192", "--max-semi-space-size=8"];
