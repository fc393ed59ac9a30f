/** Queue names and their retry policy, shared by the web (senders) and the worker. */
export const INGEST_QUEUE = "uploads.ingest";

export const QUEUE_OPTIONS = {
  [INGEST_QUEUE]: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
} as const;
